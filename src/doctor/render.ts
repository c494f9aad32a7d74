import type { Colors } from '../util/colors.js';
import type { DoctorReport } from './run.js';
import { visible, visibleLines } from '../util/sanitize.js';

/** What a person reads: each finding's symptom, cause and fix, then a one-line tally. */
export function renderDoctorText(report: DoctorReport, c: Colors): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  // Names, commands and server output in findings come from client files and servers: shown, never obeyed.
  const out = [
    `Config: ${visible(report.configPath)}`,
    `Servers checked: ${report.checked.map(visible).join(', ') || '(none)'}`,
  ];
  for (const f of report.findings) {
    const mark = f.severity === 'error' ? c.red('✗') : c.yellow('!');
    out.push('', `${mark} ${f.server ? `${c.bold(visible(f.server))}: ` : ''}${visible(f.symptom)}`);
    out.push(`    cause: ${visibleLines(f.cause)}`, `    fix:   ${visible(f.fix)}`);
  }
  out.push(
    '',
    report.findings.length === 0
      ? c.green('No problems found.')
      : `${errors} problem${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`,
  );
  return out.join('\n');
}
