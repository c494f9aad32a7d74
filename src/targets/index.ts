import type { TargetSpec } from '../config/types.js';
import { McpformError } from '../errors.js';
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { cursor } from './cursor.js';
import type { TargetAdapter } from './types.js';

const ADAPTERS: Record<TargetSpec['name'], TargetAdapter> = {
  'claude-desktop': claudeDesktop,
  'claude-code': claudeCode,
  cursor,
};

export function adapterFor(name: string): TargetAdapter {
  const a = (ADAPTERS as Record<string, TargetAdapter>)[name];
  if (!a)
    throw new McpformError(
      'UNKNOWN_TARGET',
      `unknown target '${name}'; supported: ${Object.keys(ADAPTERS).join(', ')}`,
    );
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
