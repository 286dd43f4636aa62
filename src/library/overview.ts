import type { AnswerEngine, AnsweringMode } from '../answer/engine.js';

/** What `/help` shows: the documents the corpus holds and questions to try. */
export interface CorpusOverview {
  readonly documents: readonly {
    readonly id: string;
    readonly title: string;
    readonly source: string;
    readonly url?: string | undefined;
    readonly passageCount: number;
  }[];
  readonly passageCount: number;
  readonly glossaryEntries: number;
  readonly examples: readonly string[];
  /** Whether answers use the sentence model yet. */
  readonly answering: AnsweringMode;
  /** The content hash of the corpus this process serves (`corpusVersion`), to compare processes by. */
  readonly version?: string | undefined;
}

/** Summarises the corpus an engine serves. */
export function overviewOf(engine: AnswerEngine): CorpusOverview {
  const { corpus } = engine;
  return {
    documents: corpus.documents.map(({ meta, passages }) => ({
      id: meta.id,
      title: meta.title,
      source: meta.source,
      url: meta.url,
      passageCount: passages.length,
    })),
    passageCount: engine.passageCount,
    glossaryEntries: corpus.glossary.entries.length,
    examples: corpus.examples,
    answering: engine.mode,
  };
}
