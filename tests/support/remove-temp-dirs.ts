/**
 * vitest set-up file, run in every test file: the temporary folders made with `tests/fixtures/corpus.ts` are removed
 * once the file's tests are done, so no file has to remember to (`tests/support/leftovers.ts` checks that none are left).
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from '../fixtures/corpus.js';

afterAll(removeTempDirs);
