import writeFileAtomicImpl from 'write-file-atomic';

/**
 * Temp file in the same folder, fsync, rename: a reader (or a crash) sees the old file or
 * the new one, never half of one. Keeps an existing file's mode unless one is given.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
  await writeFileAtomicImpl(path, data, { fsync: true, ...(opts.mode === undefined ? {} : { mode: opts.mode }) });
}
