import type { ClientCatalog } from '../config/targets.js';
import type { TargetSpec } from '../config/types.js';
import { closest } from '../util/closest.js';
import { McpformError } from '../errors.js';
import { claudeCode } from './clients/claude-code.js';
import { claudeDesktop } from './clients/claude-desktop.js';
import { codex } from './clients/codex.js';
import { continueDev } from './clients/continue.js';
import { cursor } from './clients/cursor.js';
import { geminiCli } from './clients/gemini-cli.js';
import { opencode } from './clients/opencode.js';
import { vscode } from './clients/vscode.js';
import { zed } from './clients/zed.js';
import { windsurf } from './clients/windsurf.js';
import { cline } from './clients/cline.js';
import { rooCode } from './clients/roo-code.js';
import { kiro } from './clients/kiro.js';
import { amazonQ } from './clients/amazon-q.js';
import { lmStudio } from './clients/lm-studio.js';
import { goose } from './clients/goose.js';
import { copilot } from './clients/copilot.js';
import { qwenCode } from './clients/qwen-code.js';
import { crush } from './clients/crush.js';
import { kilo } from './clients/kilo.js';
import { amp } from './clients/amp.js';
import { visualStudio } from './clients/visual-studio.js';
import { warp } from './clients/warp.js';
import { factory } from './clients/factory.js';
import { jetbrains } from './clients/jetbrains.js';
import { antigravity } from './clients/antigravity.js';
import { augment } from './clients/augment.js';
import type { TargetAdapter } from './types.js';

/** Every client mcpform manages, by target name. A new client: its file, and one line here. */
const CLIENTS: readonly TargetAdapter[] = [
  claudeDesktop,
  claudeCode,
  cursor,
  vscode,
  zed,
  opencode,
  geminiCli,
  windsurf,
  cline,
  rooCode,
  kiro,
  amazonQ,
  lmStudio,
  codex,
  goose,
  continueDev,
  copilot,
  qwenCode,
  crush,
  kilo,
  amp,
  visualStudio,
  warp,
  factory,
  jetbrains,
  antigravity,
  augment,
];

const BY_NAME = new Map(CLIENTS.map((c) => [c.name, c]));

export function targetNames(): string[] {
  return [...BY_NAME.keys()];
}

/** Every registered client, in registry order. */
export function allAdapters(): readonly TargetAdapter[] {
  return CLIENTS;
}

export function findAdapter(name: string): TargetAdapter | undefined {
  return BY_NAME.get(name);
}

/** `unknown target 'cursr' (did you mean 'cursor'?); supported: ...` */
export function unknownTargetMessage(name: string): string {
  const guess = closest(name, targetNames());
  return `unsupported target '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; supported: ${targetNames().join(', ')}`;
}

/** The registry as config/ checks `targets:` against it (LoadOptions.clients). */
export const clientCatalog: ClientCatalog = { find: findAdapter, unknownMessage: unknownTargetMessage };

export function adapterFor(name: string): TargetAdapter {
  const a = BY_NAME.get(name);
  if (!a) throw new McpformError('UNKNOWN_TARGET', unknownTargetMessage(name));
  return a;
}

/** The targets to act on: all declared, or the one named with --target. */
export function selectTargets(declared: readonly TargetSpec[], only?: string): TargetSpec[] {
  if (!only) return [...declared];
  const t = declared.find((d) => d.name === only);
  if (!t)
    throw new McpformError(
      'UNKNOWN_TARGET',
      `--target ${only} is not among the targets mcp.yaml declares (${declared.map((d) => d.name).join(', ')})`,
    );
  return [t];
}
