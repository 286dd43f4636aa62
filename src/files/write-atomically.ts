import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `file` whole or not at all: the bytes go to a temporary file beside it, which is then renamed over it, so a
 * reader never sees half a file. When the write fails (disk full, a folder gone), the temporary file is removed
 * before the error is passed on, so a cache folder does not fill up with them.
 */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  // One temporary name per process: two processes saving the same file at once never write into each other's.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
