import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder: the nearest folder above this file holding a package.json. This file may be
 * `src/project/root.ts`, tsc's `dist/src/project/root.js`, or inside a bundle such as
 * `dist/bundle/src/console/main.js`; all three find the same folder, so files kept in the project (the answer
 * model, the code hashed into the index snapshot's version) are found from any of them.
 */
export function projectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let folder = here; ; folder = path.dirname(folder)) {
    if (statSync(path.join(folder, 'package.json'), { throwIfNoEntry: false })?.isFile()) return folder;
    if (path.dirname(folder) === folder) throw new Error(`project: no package.json above ${here}`);
  }
}
