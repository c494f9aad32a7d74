/**
 * When to stop healing an entry for a while: a client that removes it again and again is
 * fighting mcpform (Claude Code rewriting ~/.claude.json from its own stale copy, say), and
 * healing it every second would only spin. Pure: times are given, nothing is read.
 */
export interface BackoffOptions {
  /** This many heals of one entry... */
  readonly heals: number;
  /** ...within this window means a fight. */
  readonly windowMs: number;
  /** The first pause; each fight that resumes after one doubles it, up to maxHoldMs. */
  readonly holdMs: number;
  readonly maxHoldMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { heals: 5, windowMs: 60_000, holdMs: 60_000, maxHoldMs: 15 * 60_000 };

interface Fight {
  heals: number[];
  holdUntil: number;
  level: number;
}

/** What the agent says when it starts to hold an entry back: once per fight. */
export interface BackoffStart {
  readonly key: string;
  readonly heals: number;
  readonly holdMs: number;
}

export class Backoff {
  private readonly fights = new Map<string, Fight>();

  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The entries being watched for a fight. */
  keys(): string[] {
    return [...this.fights.keys()];
  }

  /** Whether the entry is held back at `now`. */
  held(key: string, now: number): boolean {
    return (this.fights.get(key)?.holdUntil ?? 0) > now;
  }

  /** When the hold of `key` ends (ms), if it is held. */
  until(key: string, now: number): number | undefined {
    const f = this.fights.get(key);
    return f && f.holdUntil > now ? f.holdUntil : undefined;
  }

  /**
   * Records a heal. Returns the start of a hold when this heal makes it a fight: said the
   * first time only (level 0); a fight that goes on after its hold pauses longer, quietly.
   */
  healed(key: string, now: number): BackoffStart | undefined {
    const f = this.fights.get(key) ?? { heals: [], holdUntil: 0, level: 0 };
    this.fights.set(key, f);
    f.heals = [...f.heals.filter((t) => now - t < this.opts.windowMs), now];
    if (f.heals.length < this.opts.heals) return undefined;
    const holdMs = Math.min(this.opts.holdMs * 2 ** f.level, this.opts.maxHoldMs);
    f.holdUntil = now + holdMs;
    f.heals = [];
    const first = f.level === 0;
    f.level += 1;
    return first ? { key, heals: this.opts.heals, holdMs } : undefined;
  }

  /** An entry found in place past its hold, a whole window after its last heal: the fight is over. */
  settled(key: string, now: number): void {
    const f = this.fights.get(key);
    if (f && f.holdUntil <= now && f.heals.every((t) => now - t >= this.opts.windowMs)) this.fights.delete(key);
  }
}
