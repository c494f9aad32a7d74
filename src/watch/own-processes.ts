/** One line of `ps -A -o pid= -o uid= -o ucomm=`. */
export interface ProcessEntry {
  pid: number;
  uid: number;
  name: string;
}

/** How the process list is asked for: the same columns from procps (Linux) and BSD ps (macOS). */
export const PS_ARGS = ['-A', '-o', 'pid=', '-o', 'uid=', '-o', 'ucomm='];

/** The rows of `ps` output; a line that is not `PID UID NAME` is skipped. */
export function parseProcessList(text: string): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), uid: Number(m[2]), name: m[3]! });
  }
  return out;
}

/**
 * The pids of `name` that belong to `uid`. pkill/pgrep match any user's process, so an
 * mcpform run as root (or by an admin on a shared machine) would quit everyone's client.
 */
export function ownProcesses(list: readonly ProcessEntry[], name: string, uid: number): number[] {
  return list.filter((p) => p.uid === uid && p.name === name && p.pid > 0).map((p) => p.pid);
}
