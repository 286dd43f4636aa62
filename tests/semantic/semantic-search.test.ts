import { cp, readdir, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerEngine } from '../../src/answer/engine.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Corpus } from '../../src/corpus/types.js';
import { overviewOf } from '../../src/library/overview.js';
import type { Embedder } from '../../src/semantic/embedder.js';
import { OnDemandVectors } from '../../src/semantic/on-demand-vectors.js';
import { SemanticSearch } from '../../src/semantic/semantic-search.js';
import { SpanVectors } from '../../src/semantic/span-vectors.js';
import { SMALL_TALK } from '../../src/semantic/small-talk.js';
import { BUNDLED_WEIGHTS } from '../../src/semantic/use-lite.js';
import { startWorkerEmbedder } from '../../src/semantic/worker-embedder.js';
import { describeDelay, heldByProgramMs, measureLoopDelay } from '../reliability/support/loop-delay.js';
import { documentFile, makeCorpus, makeTempDir, removeTempDirs } from '../fixtures/corpus.js';

/** The real model, loaded once for the file; each test's SemanticSearch borrows it. */
let model: Embedder;
beforeAll(async () => {
  model = await startWorkerEmbedder();
}, 60_000);
afterAll(async () => {
  await model.close();
  await removeTempDirs();
});

/** Counts what reaches the model, under the model's id or another one. */
function counting(modelId = model.modelId): Embedder & { embedded: string[] } {
  const embedded: string[] = [];
  return {
    modelId,
    dimensions: model.dimensions,
    embedded,
    embed: (texts) => {
      // The small-talk remarks are embedded once per model load; only the corpus's and questions' texts count here.
      embedded.push(...texts.filter((text) => !(SMALL_TALK as readonly string[]).includes(text)));
      return model.embed(texts);
    },
    close: () => Promise.resolve(),
  };
}

/** The vectors of a corpus small enough to be embedded whole. */
function whole(vectors: SpanVectors | OnDemandVectors | undefined): SpanVectors {
  if (!(vectors instanceof SpanVectors)) throw new Error('expected the whole corpus embedded');
  return vectors;
}

async function corpusOf(paragraphs: readonly string[]): Promise<Corpus> {
  return loadCorpus(await makeCorpus({ documents: { 'story.txt': documentFile({ id: 'story', title: 'Flood report', source: 'Wire' }, paragraphs) } }));
}

const STORY = [
  'Heavy rain fell over the hills for three days. The river rose quickly.',
  'The defence minister said all hostages were freed after the operation.',
  'Schools in the district stayed closed on Monday.',
];

describe('semantic search', () => {
  it('finds a passage that shares no word with the question, where the words alone cannot', async () => {
    const corpus = await corpusOf(STORY);
    const semantic = SemanticSearch.start({ cacheDir: await makeTempDir(), startEmbedder: () => Promise.resolve(counting()) });
    const fused = await AnswerEngine.build(corpus, undefined, semantic);
    await fused.vectorsSettled;
    const lexical = await AnswerEngine.build(corpus);
    const question = 'Were the captives released?';
    expect((await lexical.rank(question)).map((quote) => quote.passageId)).not.toContain('story#p2');
    const [best] = await fused.rank(question);
    expect(best?.passageId).toBe('story#p2');
    expect(best?.similarity).toBeGreaterThan(0.3);
    expect(fused.mode).toEqual({ mode: 'fused', model: 'ready' });
  });

  it('embeds each sentence once: a restart reads them all from the cache, an edit embeds only what changed', async () => {
    const cacheDir = await makeTempDir();
    const first = counting();
    const built = whole(await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(first) }).vectorsFor(await corpusOf(STORY)));
    expect(built.stats).toEqual({ spans: 5, embedded: 4 });
    expect(first.embedded).toHaveLength(4);

    const restarted = counting();
    const again = whole(await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(restarted) }).vectorsFor(await corpusOf(STORY)));
    expect(restarted.embedded).toEqual([]);
    // Two adjacent sentences get the mean of their vectors, so they cost no embedding either.
    expect(again.spans).toHaveLength(5);

    const edited = counting();
    const changed = [STORY[0], STORY[1], 'Schools in the district reopened on Tuesday.'];
    await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(edited) }).vectorsFor(await corpusOf(changed as string[]));
    expect(edited.embedded).toEqual(['Schools in the district reopened on Tuesday.']);
  });

  it('embeds everything again for another model, whose vectors the first model\'s cache must not stand in for', async () => {
    const cacheDir = await makeTempDir();
    await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(counting()) }).vectorsFor(await corpusOf(STORY));
    const other = counting('use-lite@9.9.9#another');
    await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(other) }).vectorsFor(await corpusOf(STORY));
    expect(other.embedded).toHaveLength(4);
  });

  it('rebuilds a damaged cache file, saying which file, and answers the same as with a good one', async () => {
    const cacheDir = await makeTempDir();
    const corpus = await corpusOf(STORY);
    await SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(counting()) }).vectorsFor(corpus);
    const [file] = await readdir(cacheDir);
    await truncate(path.join(cacheDir, file!), 200);
    const lines: string[] = [];
    const again = counting();
    const semantic = SemanticSearch.start({ cacheDir, startEmbedder: () => Promise.resolve(again), log: (line) => lines.push(line) });
    const engine = await AnswerEngine.build(corpus, undefined, semantic);
    await engine.vectorsSettled;
    expect(lines).toEqual([expect.stringMatching(new RegExp(`vector cache .*${file!.replace(/[.#@]/g, '.')} is damaged or truncated .*rebuilt`))]);
    expect(again.embedded).toHaveLength(4);
    expect((await engine.rank('Were the captives released?'))[0]?.passageId).toBe('story#p2');
  });

  it('takes greetings and thanks for small talk, never quoting a word they happen to share ("hello" and "hell")', async () => {
    const corpus = await corpusOf([...STORY, 'He later compared his schooling there to purgatory and hell. He said thanks to his teachers.']);
    const semantic = SemanticSearch.start({ cacheDir: await makeTempDir(), startEmbedder: () => Promise.resolve(counting()) });
    const engine = await AnswerEngine.build(corpus, undefined, semantic);
    await engine.vectorsSettled;
    for (const remark of ['hello', 'thanks!', 'nice bot', 'good evening all', 'gm everyone']) {
      expect(await engine.answer(remark), remark).toMatchObject({ answered: false, abstention: 'small-talk', quotes: [] });
    }
    expect((await engine.answer('Who compared his schooling to hell?')).quotes[0]?.citation.passageId).toBe('story#p4');
  });

  it('keeps the event loop free while the corpus is embedded: the model runs in its own thread', async () => {
    const sentences = Array.from({ length: 120 }, (_, i) => `Report ${i}: the convoy reached checkpoint number ${i} before the road was closed.`);
    const corpus = await corpusOf(Array.from({ length: 30 }, (_, i) => sentences.slice(i * 4, i * 4 + 4).join(' ')));
    const semantic = SemanticSearch.start({ cacheDir: await makeTempDir(), startEmbedder: () => Promise.resolve(counting()) });
    const { result, delay } = await measureLoopDelay(() => semantic.vectorsFor(corpus));
    expect(whole(result).stats.embedded).toBe(120);
    // Stalls the machine caused (little CPU in them) do not count against the program.
    expect(heldByProgramMs(delay) ?? delay.maxMs, describeDelay(delay)).toBeLessThan(100);
  }, 120_000);
});

describe('a corpus too large to embed whole', () => {
  it('compares in meaning only the passages the words found, embedding their sentences when first asked', async () => {
    const tracked = counting();
    const semantic = SemanticSearch.start({ cacheDir: await makeTempDir(), maxPrecomputedSentences: 2, startEmbedder: () => Promise.resolve(tracked) });
    const engine = await AnswerEngine.build(await corpusOf(STORY), undefined, semantic);
    await engine.vectorsSettled;
    expect(tracked.embedded).toEqual([]);
    const question = 'Which minister said the hostages were freed?';
    const first = await engine.answer(question);
    expect(first).toMatchObject({ answered: true, mode: 'fused' });
    expect(first.quotes[0]?.citation.passageId).toBe('story#p2');
    // The question did not wait for the candidates' sentences: they are embedded after it, once.
    const vectors = await semantic.vectorsFor(await corpusOf(STORY));
    if (!(vectors instanceof OnDemandVectors)) throw new Error('expected vectors made on demand');
    await vectors.idle();
    expect(tracked.embedded).toContain('The defence minister said all hostages were freed after the operation.');
    expect(tracked.embedded).not.toContain('Heavy rain fell over the hills for three days.');
    const [again] = await engine.rank(question);
    expect(again?.passageId).toBe('story#p2');
    expect(again?.similarity).toBeGreaterThan(0.3);
    // Nothing is searched by meaning alone here: a question sharing no word finds nothing.
    expect(await engine.rank('Were the captives released?')).toEqual([]);
  });
});

describe('when the model cannot load', () => {
  it.each([
    ['its files are missing', async () => path.join(await makeTempDir(), 'no-model-here')],
    ['a weight file is truncated', async () => {
      const folder = path.join(await makeTempDir(), 'weights');
      await cp(BUNDLED_WEIGHTS, folder, { recursive: true });
      await truncate(path.join(folder, 'group1-shard3of7'), 1000);
      return folder;
    }],
  ])('when %s: one log line, answers by words, and /help says so', async (_label, weights) => {
    const weightsFolder = await weights();
    const lines: string[] = [];
    const semantic = SemanticSearch.start({
      cacheDir: await makeTempDir(),
      startEmbedder: () => startWorkerEmbedder({ weightsFolder }),
      log: (line) => lines.push(line),
    });
    const engine = await AnswerEngine.build(await corpusOf(STORY), undefined, semantic);
    await engine.vectorsSettled;
    expect(semantic.state).toBe('failed');
    expect(lines).toEqual([expect.stringMatching(/^semantic: the sentence model did not load, answering lexically: embedder: /)]);
    const answer = await engine.answer('Which minister said the hostages were freed?');
    expect(answer).toMatchObject({ answered: true, mode: 'lexical' });
    expect(answer.quotes[0]?.citation.passageId).toBe('story#p2');
    expect(overviewOf(engine).answering).toEqual({ mode: 'lexical', model: 'failed' });
  }, 60_000);

  it('never starts the model when it is turned off, and says so', async () => {
    let started = false;
    const semantic = SemanticSearch.start({
      enabled: false,
      startEmbedder: () => {
        started = true;
        return Promise.resolve(counting());
      },
    });
    const engine = await AnswerEngine.build(await corpusOf(STORY), undefined, semantic);
    await engine.vectorsSettled;
    expect(started).toBe(false);
    expect(engine.mode).toEqual({ mode: 'lexical', model: 'off' });
    expect((await engine.answer('Which minister said the hostages were freed?')).mode).toBe('lexical');
  });
});
