import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS, type AnswerEngineOptions, type AnswerPage } from '../answer/engine.js';
import type { Answer, Quote } from '../answer/types.js';
import { CorpusError } from '../corpus/errors.js';
import type { Corpus } from '../corpus/types.js';
import { DEFAULT_CORPUS_LOAD_OPTIONS, loadCorpus, trustRecentFiles, type CorpusLoadOptions } from '../corpus/load-corpus.js';
import { readIndexSnapshot, saveIndexSnapshot, type IndexSnapshotOptions } from '../search/index-snapshot.js';
import type { SemanticSearch } from '../semantic/semantic-search.js';
import { compareCorpora, type ReloadOutcome } from './reload-report.js';

/** One complete, immutable corpus and its index. A request uses one snapshot from start to end. */
export interface LibrarySnapshot {
  readonly engine: AnswerEngine;
  /** Counts the successful loads: 1 for the corpus loaded at start-up. */
  readonly version: number;
  readonly loadedAt: Date;
}

export interface LibraryOptions {
  readonly corpus: CorpusLoadOptions;
  readonly engine: AnswerEngineOptions;
  /** The sentence model, shared by every corpus loaded; without it, answers are lexical. */
  readonly semantic?: SemanticSearch | undefined;
  /**
   * Where the index is saved after each build and reload, so a restart with an unchanged corpus loads it instead of
   * building (see `docs/reload.md`); without it, nothing is saved and every start builds.
   */
  readonly indexSnapshot?: IndexSnapshotOptions | undefined;
}

/** Defaults for {@link Library.load}. */
export const DEFAULT_LIBRARY_OPTIONS: LibraryOptions = {
  corpus: DEFAULT_CORPUS_LOAD_OPTIONS,
  engine: DEFAULT_ANSWER_ENGINE_OPTIONS,
};

/**
 * Holds the corpus being served. A reload reads again only the files that changed and re-indexes only their
 * documents, changing the shared index in one synchronous step just before the new snapshot is swapped in (a large
 * change builds a whole new index off to the side instead); answers are synchronous, so every question sees either
 * the old corpus or the new one, never a mix. If the new corpus has problems, the old one keeps serving, untouched.
 * Reloads never overlap: a reload asked for while one runs shares its result.
 */
export class Library {
  private snapshot: LibrarySnapshot;
  private running: Promise<ReloadOutcome> | undefined;
  /** The snapshot saves, one after another (each captures the index when its turn comes). */
  private saving: Promise<void> = Promise.resolve();
  /** The last load's files too recent to trust, hashed again once they can be (see `trustRecentFiles`). */
  private trusting: Promise<void> = Promise.resolve();

  private constructor(
    readonly directory: string,
    private readonly options: LibraryOptions,
    first: LibrarySnapshot,
  ) {
    this.snapshot = first;
  }

  /** Loads the corpus for start-up. Throws a {@link CorpusError} naming each bad file: nothing half-built is served. */
  static async load(directory: string, options: LibraryOptions = DEFAULT_LIBRARY_OPTIONS): Promise<Library> {
    AnswerEngine.prefetch(options.engine);
    const snapshot = options.indexSnapshot && (await readIndexSnapshot(directory, options.indexSnapshot));
    // The corpus is loaded as always, but a file unchanged since the snapshot was saved keeps its saved document,
    // unread or unparsed; then the documents' hashes decide whether the saved index is the corpus's own.
    const corpus = await loadCorpus(directory, options.corpus, snapshot?.documents);
    const saved = snapshot && (await snapshot.indexFor(corpus, options.engine.index));
    // At start-up the corpus serves at once, lexically, while its vectors are computed (see `AnswerEngine.mode`).
    const engine = await AnswerEngine.build(corpus, options.engine, options.semantic, saved?.index);
    const library = new Library(directory, options, { engine, version: 1, loadedAt: new Date() });
    if (!saved || saved.updated) library.saveIndex();
    library.trustFiles(corpus);
    return library;
  }

  /**
   * Settles once the files of the last load whose times were too recent to trust (written just before a start, as
   * after a deploy, or just edited) have been hashed again, so that the next reload reads none of them: for tests
   * and the bench. A reload before then reads them itself, as it always did.
   */
  filesTrusted(): Promise<void> {
    // The wait's timer keeps no process alive, so that a start does not delay an exit; one awaited here must.
    const alive = setInterval(() => undefined, 60_000);
    return this.trusting.finally(() => clearInterval(alive));
  }

  /** Records the signatures of `corpus`'s too recent files in the background, once they can be trusted. */
  private trustFiles(corpus: Corpus): void {
    this.trusting = trustRecentFiles(corpus, this.options.corpus);
  }

  /**
   * Settles once every snapshot save asked for so far has finished (a failed save is logged, never thrown): for
   * shutdown, which should not cut a save short, and for tests.
   */
  indexSaved(): Promise<void> {
    return this.saving;
  }

  /** Saves the serving index in the background, after any save still running; a failure is logged. */
  private saveIndex(): void {
    const snapshot = this.options.indexSnapshot;
    if (!snapshot) return;
    this.saving = this.saving.then(async () => {
      // Of whatever serves now, copied in slices; a reload meanwhile makes the copy undefined, and queued its own save.
      const { engine } = this.snapshot;
      try {
        const captured = await engine.captureIndex();
        if (captured) await saveIndexSnapshot(engine.corpus, captured, snapshot);
      } catch (error) {
        snapshot.log(`index snapshot: could not be saved (${(error as Error).message})`);
      }
    });
  }

  /** The snapshot serving now. Take it once per request. */
  get current(): LibrarySnapshot {
    return this.snapshot;
  }

  /**
   * Answers from the corpus serving once the question is prepared: embedding is awaited first, then the answer
   * comes synchronously from one snapshot, so a reload in between (which may change the shared index) is never
   * seen halfway. Each citation names the section its passage stands in.
   */
  async answer(question: string, page?: AnswerPage): Promise<Answer> {
    const prepared = await this.snapshot.engine.prepare(question);
    const { engine } = this.snapshot;
    return withSections(engine.answerPrepared(question, page ?? {}, prepared), engine);
  }

  /** Re-reads the corpus folder and swaps the new corpus in, or reports why not and keeps the old one. */
  reload(): Promise<ReloadOutcome> {
    if (this.running) return this.running.then((outcome) => ({ ...outcome, joined: true }));
    this.running = this.rebuild().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async rebuild(): Promise<ReloadOutcome> {
    const started = performance.now();
    try {
      const before = this.snapshot;
      const corpus = await loadCorpus(this.directory, this.options.corpus, before.engine.corpus);
      await before.engine.update(corpus, (engine) => {
        this.snapshot = { engine, version: before.version + 1, loadedAt: new Date() };
      });
      this.trustFiles(corpus);
      // The index changed only if the documents did (the loader keeps an unchanged document's object).
      const documentsBefore = before.engine.corpus.documents;
      if (corpus.documents.length !== documentsBefore.length || corpus.documents.some((document, i) => document !== documentsBefore[i])) {
        this.saveIndex();
      }
      // Compared in slices: on a large corpus a one-go comparison held the event loop for seconds.
      const report = await compareCorpora(before.engine.corpus, corpus, performance.now() - started);
      return { ok: true, joined: false, report };
    } catch (error) {
      if (error instanceof CorpusError) return { ok: false, joined: false, problems: error.problems };
      return { ok: false, joined: false, problems: [{ file: '.', message: `reload failed: ${(error as Error).message}` }] };
    }
  }
}

/** The answer with each quote's citation naming the section of its passage (`Passage.section`), where it has one. */
function withSections(answer: Answer, engine: AnswerEngine): Answer {
  const cited = (quote: Quote): Quote => {
    const section = engine.passage(quote.citation.passageId)?.passage.section;
    return section === undefined ? quote : { ...quote, citation: { ...quote.citation, section } };
  };
  return { ...answer, quotes: answer.quotes.map(cited), closest: answer.closest && cited(answer.closest) };
}
