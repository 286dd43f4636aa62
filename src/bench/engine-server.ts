/**
 * A child process of the bench's answer-model part (`answer-model.ts`): serves one corpus from the engine of the
 * source tree it is told (argv[2]: this checkout, or the landed engine taken from git) and answers the questions
 * its parent sends over IPC one at a time, through `Library.answer` as `/ask` does, timing each answer itself.
 *
 * It imports nothing of this checkout at run time but types, so the landed tree's process runs the landed code only.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as LibraryModule from '../library/library.js';
import type * as SemanticModule from '../semantic/semantic-search.js';

/** What the parent asks: the tree whose engine answers, the corpus folder, and the mode. */
export interface EngineServerJob {
  readonly tree: string;
  readonly corpusDir: string;
  readonly mode: 'fused' | 'lexical';
  /** The tree's own vector cache folder (`CACHE_DIR`), so two trees never write one file at once. */
  readonly cacheDir: string;
}

/** Messages from the parent. */
export type EngineServerRequest = { readonly question: string } | { readonly done: true };

/** Messages to the parent: once `ready`, then one `answered` per question. */
export type EngineServerReply =
  | { readonly ready: { readonly passages: number; readonly loadMs: number } }
  | { readonly answered: { readonly ms: number; readonly quotes: number } }
  | { readonly failed: string };

const send = (reply: EngineServerReply): void => {
  process.send!(reply);
};

async function serve(job: EngineServerJob): Promise<void> {
  const from = (file: string): string => pathToFileURL(path.join(job.tree, file)).href;
  const { DEFAULT_LIBRARY_OPTIONS, Library } = (await import(from('src/library/library.ts'))) as typeof LibraryModule;
  const { SemanticSearch } = (await import(from('src/semantic/semantic-search.ts'))) as typeof SemanticModule;
  const started = performance.now();
  // EMBEDDINGS=off is a sentence model that is off, as the console and the bot make it.
  const semantic = SemanticSearch.start({ enabled: job.mode === 'fused', cacheDir: job.cacheDir, log: (line) => console.error(line) });
  const library = await Library.load(job.corpusDir, { ...DEFAULT_LIBRARY_OPTIONS, semantic });
  const { engine } = library.current;
  await engine.vectorsSettled;
  if (engine.mode.mode !== job.mode) throw new Error(`the engine answers ${engine.mode.mode}ly, not ${job.mode} (model ${engine.mode.model}${semantic.problem ? `: ${semantic.problem}` : ''})`);
  send({ ready: { passages: engine.passageCount, loadMs: performance.now() - started } });
  process.on('message', (message: EngineServerRequest) => {
    if ('done' in message) {
      void semantic.close().then(() => process.exit(0));
      return;
    }
    const t = performance.now();
    library.answer(message.question).then(
      (answer) => send({ answered: { ms: performance.now() - t, quotes: answer.quotes.length } }),
      (error: unknown) => send({ failed: `answering "${message.question}": ${(error as Error).message}` }),
    );
  });
}

if (!process.send || process.argv[2] === undefined) {
  console.error('bench: engine-server.ts is started by src/bench/answer-model.ts');
  process.exit(2);
}
const job = JSON.parse(process.argv[2]) as EngineServerJob;
await serve(job).catch((error: unknown) => {
  process.send!({ failed: `${job.tree}: ${(error as Error).message}` } satisfies EngineServerReply, () => process.exit(1));
});
