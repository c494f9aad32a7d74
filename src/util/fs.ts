/**
 * Temp file in the same folder, fsync, rename: a reader (or a crash) sees the old file or
 * the new one, never half of one. Keeps an existing file's mode unless one is given; follows
 * a symlinked config (dotfiles repos) to write its target. write-file-atomic is loaded only
 * when something is written, to keep plan and validate start-up lean.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Buffer,
  opts: { mode?: number } = {},
): Promise<void> {
  const { default: write } = await import('write-file-atomic');
  await write(path, data, { fsync: true, ...(opts.mode === undefined ? {} : { mode: opts.mode }) });
}
