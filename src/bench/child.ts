/**
 * A child process of `npm run bench`, started with `--expose-gc`: runs one job in a clean process and sends its
 * figures back over IPC, so one corpus's memory never shows in another's figures.
 */
import { readFile } from 'node:fs/promises';
import { measureInteractions, type InteractionJob } from './interaction.js';
import { measureConversation, type ConversationJob } from './conversation.js';
import { measureCorpus, type CorpusJob } from './measure-corpus.js';
import { measureSemantic, type SemanticJob } from './measure-semantic.js';
import { measureFleet, measureModes, type FleetJob, type ModesJob } from './scale.js';
import { measureStore, type StoreJob } from './store.js';
import { measureDatabase, type DatabaseJob } from './database.js';

export type ChildJob =
  | ({ readonly kind: 'corpus' } & CorpusJob)
  | ({ readonly kind: 'interaction' } & InteractionJob)
  | ({ readonly kind: 'semantic' } & SemanticJob)
  | ({ readonly kind: 'modes' } & ModesJob)
  | ({ readonly kind: 'fleet' } & FleetJob)
  | ({ readonly kind: 'store' } & StoreJob)
  | ({ readonly kind: 'conversation' } & ConversationJob)
  | ({ readonly kind: 'database' } & DatabaseJob);

const jobFile = process.argv[2];
if (!process.send || jobFile === undefined) {
  console.error('bench: child.ts is started by src/bench/main.ts');
  process.exit(2);
}
const job = JSON.parse(await readFile(jobFile, 'utf8')) as ChildJob;
const figures =
  job.kind === 'corpus'
    ? await measureCorpus(job)
    : job.kind === 'interaction'
      ? await measureInteractions(job)
      : job.kind === 'semantic'
        ? await measureSemantic(job)
        : job.kind === 'modes'
          ? await measureModes(job)
          : job.kind === 'fleet'
            ? await measureFleet(job)
            : job.kind === 'conversation'
              ? await measureConversation(job)
              : job.kind === 'database'
                ? await measureDatabase(job)
                : await measureStore(job);
process.send({ figures }, () => process.exit(0));
