import { readdirSync, readFileSync } from 'node:fs';
import { hostPlatform } from '../util/host.js';

/**
 * Finding what a server left behind, on Linux (/proc). Killing the process group catches
 * most of a server's tree, but a child that called setsid() has left the group, and one
 * whose parent exited has been handed to init: neither is reachable by group or parent
 * after the fact. So every server is started with a marker in its environment, which its
 * descendants inherit, and a process that carries our marker is ours, wherever it went.
 */

export const MARKER_VAR = 'MCPFORM_PROBE_ID';
const PROC = '/proc';
const procAvailable = hostPlatform === 'linux';

interface Stat {
  ppid: number;
  pgrp: number;
  startTicks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`${PROC}/${pid}/stat`, 'latin1');
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, pgrp 5, starttime 22.
    if (f[0] === 'Z') return undefined;
    return { ppid: Number(f[1]), pgrp: Number(f[2]), startTicks: Number(f[19]) };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  try {
    return readdirSync(PROC)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** When this process started, in clock ticks since boot: nothing of ours started before. */
const selfStart = procAvailable ? (readStat(process.pid)?.startTicks ?? 0) : 0;

/**
 * Live processes started by a server (any depth, also in other sessions or groups): those
 * descending from `rootPid` and those carrying `marker` in their environment.
 */
export function strayProcesses(rootPid: number | undefined, marker: string): number[] {
  if (!procAvailable) return [];
  const all = new Map<number, Stat>();
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    const s = readStat(pid);
    // Only processes younger than mcpform can be ours: no need to read anyone else's environment.
    if (s && s.startTicks >= selfStart) all.set(pid, s);
  }
  const found = new Set<number>();
  if (rootPid !== undefined && all.has(rootPid)) found.add(rootPid);
  const needle = `${MARKER_VAR}=${marker}\0`;
  for (const pid of all.keys()) {
    if (found.has(pid)) continue;
    try {
      if (readFileSync(`${PROC}/${pid}/environ`, 'latin1').includes(needle)) found.add(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  // Descendants by parent link catch those that dropped the marker from their environment.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, s] of all)
      if (!found.has(pid) && found.has(s.ppid)) {
        found.add(pid);
        grew = true;
      }
  }
  return [...found];
}

/** SIGKILL to each process and to its group (a setsid child leads a group of its own). */
export function killAll(pidsToKill: readonly number[]): void {
  for (const pid of pidsToKill) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or already gone
      }
    }
  }
}
