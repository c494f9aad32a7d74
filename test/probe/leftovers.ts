import { execFileSync } from 'node:child_process';

/**
 * Live processes whose command line holds `marker` (zombies awaiting their reaper do not
 * count), after giving SIGKILLed ones a moment to go.
 */
export async function leftover(marker: string): Promise<string[]> {
  let found: string[] = [];
  for (let i = 0; i < 20; i++) {
    found = execFileSync('ps', ['-eo', 'pid=,stat=,args='])
      .toString()
      .split('\n')
      .filter((l) => l.includes(marker) && !/^\s*\d+\s+Z/.test(l) && !l.includes('ps -eo'));
    if (found.length === 0) return [];
    await new Promise((r) => setTimeout(r, 50));
  }
  return found;
}
