/**
 * Two small corpora whose answers differ, a broken one, and a folder path that can be switched between them
 * atomically (a symlink replaced with rename), so each load reads exactly one of them.
 */
import { rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeCorpus } from './corpora.js';

export const VERSION_QUESTIONS = [
  'How long did the siege of the police station last?',
  'How many hostage-takers did the commandos kill?',
  'What did the militants demand?',
  'Who led the negotiations?',
] as const;

const VERSION_A = [
  'The siege of the police station lasted two days, officials said.',
  'The commandos killed 33 hostage-takers when they stormed the compound.',
  'The militants demanded safe passage to Afghanistan for themselves.',
  'A tribal elder named Malik Ayub led the negotiations with the militants.',
];

const VERSION_B = [
  'The siege of the police station lasted three whole days, witnesses said.',
  'The commandos killed 25 hostage-takers in the final assault on the compound.',
  'The militants demanded a helicopter and money for their release of hostages.',
  'The provincial police chief led the negotiations by telephone.',
];

export interface Switchable {
  /** The path the library is given: a link to one of the corpora. */
  readonly served: string;
  readonly a: string;
  readonly b: string;
  /** Version A with one bad file added: refused on reload. */
  readonly broken: string;
  switchTo(target: string): Promise<void>;
}

export async function makeSwitchable(root: string): Promise<Switchable> {
  const a = await writeCorpus(path.join(root, 'version-a'), [{ id: 'report-a', title: 'Report A', paragraphs: VERSION_A }]);
  const b = await writeCorpus(path.join(root, 'version-b'), [{ id: 'report-b', title: 'Report B', paragraphs: VERSION_B }]);
  const broken = await writeCorpus(path.join(root, 'broken'), [{ id: 'report-a', title: 'Report A', paragraphs: VERSION_A }]);
  await writeFile(path.join(broken, 'documents', 'bad.txt'), '---\nid: bad\n---\n\nNo title, no source.\n');
  const served = path.join(root, 'served');
  await symlink(a, served);
  let counter = 0;
  return {
    served,
    a,
    b,
    broken,
    async switchTo(target) {
      const next = `${served}.next-${++counter}`;
      await rm(next, { force: true });
      await symlink(target, next);
      await rename(next, served);
    },
  };
}
