import { readFile } from 'node:fs/promises';

/**
 * Bytes this process has read through read calls, page cache included (Linux's /proc/self/io `rchar`): how a
 * test sees that a file was not read, without timing anything.
 */
export async function bytesRead(): Promise<number> {
  return Number(/^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'))?.[1]);
}
