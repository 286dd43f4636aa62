/**
 * Run by unreadable-files.test.ts as an unprivileged user (root reads files whatever their permissions): loads the
 * corpus in `argv[2]`, makes a document and a folder unreadable, reloads, then tries a fresh start-up, and prints
 * what happened as one JSON line.
 */
import { access, chmod, constants, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CorpusError } from '../../../src/corpus/errors.js';
import { Library } from '../../../src/library/library.js';
import { documentText } from './corpora.js';

const folder = process.argv[2]!;
const questions = ['How many hostage-takers were killed?', 'Who seized the police station?'];
const library = await Library.load(folder);
const before = library.current;
const answersBefore = JSON.stringify(await Promise.all(questions.map((question) => before.engine.answer(question))));

const lockedFile = path.join(folder, 'documents', 'locked.txt');
await writeFile(lockedFile, documentText({ id: 'locked', paragraphs: ['Locked away.'] }));
await chmod(lockedFile, 0o000);
const lockedFolder = path.join(folder, 'documents', 'locked-folder');
await mkdir(lockedFolder);
await writeFile(path.join(lockedFolder, 'inside.txt'), documentText({ id: 'inside', paragraphs: ['Inside a locked folder.'] }));
await chmod(lockedFolder, 0o000);
const denied = await access(lockedFile, constants.R_OK).then(
  () => false,
  () => true,
);

const outcome = await library.reload();
const startup = await Library.load(folder).then(
  () => undefined,
  (error: unknown) => error,
);
process.stdout.write(
  `${JSON.stringify({
    uid: process.getuid?.(),
    denied,
    outcome,
    sameSnapshot: library.current === before,
    sameAnswers: JSON.stringify(await Promise.all(questions.map((question) => library.current.engine.answer(question)))) === answersBefore,
    startup: startup instanceof CorpusError ? { problems: startup.problems, message: startup.message } : String(startup),
  })}\n`,
);
