import path from 'node:path';
import type { Config } from '../config/env.js';
import type { Corpus } from '../corpus/types.js';
import type { Embedder } from './embedder.js';
import { SMALL_TALK, isSmallTalk } from './small-talk.js';
import { OnDemandVectors } from './on-demand-vectors.js';
import { SpanVectors } from './span-vectors.js';
import { VectorCache } from './vector-cache.js';
import { startWorkerEmbedder } from './worker-embedder.js';

interface Loaded {
  readonly embedder: Embedder;
  readonly cache: VectorCache;
  /** The vectors of {@link SMALL_TALK}. */
  readonly smallTalk: readonly Float32Array[];
}

/** Where the sentence model stands: not wanted, loading, serving, or failed (the bot then answers lexically). */
export type ModelState = 'off' | 'loading' | 'ready' | 'failed';

export interface SemanticSearchOptions {
  /** `off` never loads the model: lexical answers only, for hosts with little memory. */
  readonly enabled: boolean;
  /** Folder of the vector cache. */
  readonly cacheDir: string;
  /** How many questions' vectors are kept, so a repeated question or a button press is not embedded again. */
  readonly questionCacheSize: number;
  /**
   * Above this many sentences the corpus is not embedded whole: the brute-force comparison with every span would
   * cost each question more than the words' own search (docs/semantic.md), and embedding would take hours.
   */
  readonly maxPrecomputedSentences: number;
  /** Starts the model; the embedding thread by default (tests pass a failing or instrumented one). */
  readonly startEmbedder: () => Promise<Embedder>;
  /** One line per event worth a log: the model loaded or failed, a cache file was unusable. */
  readonly log: (line: string) => void;
}

/** The vectors of `texts`, from the cache where it has them; the others are embedded and added to it. */
async function embedOrRecall(embedder: Embedder, cache: VectorCache, texts: readonly string[]): Promise<Float32Array[]> {
  const missing = texts.filter((text) => cache.get(text) === undefined);
  const embedded = await embedder.embed(missing);
  missing.forEach((text, i) => cache.set(text, embedded[i]!));
  return texts.map((text) => cache.get(text)!);
}

/** One line for people on how answers are made now (console banner, `/help`). */
export function describeMode(mode: 'fused' | 'lexical', model: ModelState | 'embedding'): string {
  if (mode === 'fused') return 'Answers match your question by meaning as well as by words.';
  const why = {
    off: 'the sentence model is turned off (EMBEDDINGS=off)',
    loading: 'the sentence model is still loading',
    embedding: "the articles' sentences are still being embedded",
    failed: 'the sentence model could not be loaded',
    ready: 'the sentence model is not in use',
  }[model];
  return `Answers match your question by its words only: ${why}.`;
}

/** The sentence model as the environment sets it (`EMBEDDINGS`, `CACHE_DIR`), logging through `log`. */
export function semanticFromConfig(config: Pick<Config, 'EMBEDDINGS' | 'CACHE_DIR'>, log: (line: string) => void): SemanticSearch {
  return SemanticSearch.start({ enabled: config.EMBEDDINGS === 'on', cacheDir: config.CACHE_DIR, log });
}

/** Defaults for {@link SemanticSearch.start}. */
export const DEFAULT_SEMANTIC_SEARCH_OPTIONS: SemanticSearchOptions = {
  enabled: true,
  cacheDir: '.cache',
  questionCacheSize: 1000,
  maxPrecomputedSentences: 20_000,
  startEmbedder: () => startWorkerEmbedder(),
  log: () => undefined,
};

/**
 * The process's sentence model and vector cache, shared by every corpus it serves (a reload reuses both). Starts
 * loading at once and never throws: when the model cannot load, it logs one line and says `failed`, and every
 * caller falls back to lexical answers.
 */
export class SemanticSearch {
  private modelState: ModelState;
  private failure: string | undefined;
  private readonly ready: Promise<Loaded | undefined>;
  /** What `ready` resolved to, for the synchronous checks. */
  private loaded: Loaded | undefined;
  private onDemand: OnDemandVectors | undefined;
  private readonly built = new WeakMap<Corpus, Promise<SpanVectors | OnDemandVectors | undefined>>();
  private readonly questions = new Map<string, Promise<Float32Array>>();

  private constructor(private readonly options: SemanticSearchOptions) {
    this.modelState = options.enabled ? 'loading' : 'off';
    this.ready = options.enabled ? this.load() : Promise.resolve(undefined);
  }

  /** Starts loading the model in the background. */
  static start(options: Partial<SemanticSearchOptions> = {}): SemanticSearch {
    return new SemanticSearch({ ...DEFAULT_SEMANTIC_SEARCH_OPTIONS, ...options });
  }

  get state(): ModelState {
    return this.modelState;
  }

  /** Why the model failed, when it did. */
  get problem(): string | undefined {
    return this.failure;
  }

  /** The model's id once it has loaded. */
  async modelId(): Promise<string | undefined> {
    return (await this.ready)?.embedder.modelId;
  }

  /**
   * Vectors for every quotable span of `corpus`; for a corpus of more than `maxPrecomputedSentences` sentences,
   * vectors made on demand for the passages asked about; undefined when the model is off or failed.
   */
  vectorsFor(corpus: Corpus): Promise<SpanVectors | OnDemandVectors | undefined> {
    // Built once per corpus: the engine, a reload and the evaluation all ask for the same corpus's vectors.
    let vectors = this.built.get(corpus);
    if (!vectors) this.built.set(corpus, (vectors = this.build(corpus)));
    return vectors;
  }

  private async build(corpus: Corpus): Promise<SpanVectors | OnDemandVectors | undefined> {
    const loaded = await this.ready;
    if (!loaded) return undefined;
    const sentences = corpus.documents.reduce((sum, document) => sum + document.passages.reduce((n, passage) => n + passage.sentences.length, 0), 0);
    // One queue for the process: every large corpus it serves shares the model's thread and the cache.
    if (sentences > this.options.maxPrecomputedSentences) return (this.onDemand ??= new OnDemandVectors(loaded.embedder, loaded.cache));
    try {
      return await SpanVectors.build(corpus, loaded.embedder, loaded.cache);
    } catch (error) {
      this.fail(`semantic: embedding the corpus failed, answering lexically: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A question's vector, or undefined when the model is not serving. */
  async embedQuestion(question: string): Promise<Float32Array | undefined> {
    const loaded = this.modelState === 'ready' ? await this.ready : undefined;
    if (!loaded) return undefined;
    let vector = this.questions.get(question);
    if (!vector) {
      vector = loaded.embedder.embed([question]).then(([first]) => first!);
      this.remember(question, vector);
    }
    return vector.catch(() => undefined);
  }

  /** Whether a question's vector is small talk ("hello", "thanks!", "nice bot"), not a question about anything. */
  isSmallTalk(vector: Float32Array): boolean {
    return this.loaded !== undefined && isSmallTalk(vector, this.loaded.smallTalk);
  }

  /**
   * Embeds many questions in batches ahead of asking them (evaluation), within the question cache's size; with
   * `store`, questions embedded on an earlier run are read from it and new ones added. Questions people ask are
   * never written to disk.
   */
  async prepareQuestions(questions: readonly string[], store?: VectorCache): Promise<void> {
    const loaded = this.modelState === 'ready' ? await this.ready : undefined;
    if (!loaded) return;
    const fresh = [...new Set(questions)].filter((question) => !this.questions.has(question)).slice(0, this.options.questionCacheSize);
    const unknown = fresh.filter((question) => !store?.get(question));
    const vectors = await loaded.embedder.embed(unknown);
    unknown.forEach((question, i) => store?.set(question, vectors[i]!));
    await store?.save();
    const byText = new Map(unknown.map((question, i) => [question, vectors[i]!]));
    for (const question of fresh) this.remember(question, Promise.resolve(byText.get(question) ?? store!.get(question)!));
  }

  /** A cache of question vectors in the cache folder, for evaluation runs; undefined when the model is not serving. */
  async questionStore(): Promise<VectorCache | undefined> {
    const loaded = await this.ready;
    return loaded && VectorCache.open(path.join(this.options.cacheDir, 'eval-questions'), loaded.embedder.modelId, loaded.embedder.dimensions);
  }

  async close(): Promise<void> {
    await (await this.ready)?.embedder.close();
  }

  private remember(question: string, vector: Promise<Float32Array>): void {
    this.questions.set(question, vector);
    // A Map iterates in insertion order: the first key is the oldest.
    if (this.questions.size > this.options.questionCacheSize) this.questions.delete(this.questions.keys().next().value!);
  }

  private async load(): Promise<Loaded | undefined> {
    try {
      const embedder = await this.options.startEmbedder();
      const cache = await VectorCache.open(this.options.cacheDir, embedder.modelId, embedder.dimensions);
      if (cache.problem) this.options.log(`semantic: the vector cache ${cache.file} ${cache.problem}; it will be rebuilt`);
      const smallTalk = await embedOrRecall(embedder, cache, SMALL_TALK);
      this.modelState = 'ready';
      this.loaded = { embedder, cache, smallTalk };
      return this.loaded;
    } catch (error) {
      this.fail(`semantic: the sentence model did not load, answering lexically: ${(error as Error).message}`);
      return undefined;
    }
  }

  private fail(line: string): void {
    this.modelState = 'failed';
    this.failure = line;
    this.options.log(line);
  }
}
