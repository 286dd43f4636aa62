/** What a document says about itself, validated by `documentMetaSchema`. */
export interface DocumentMeta {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly url?: string | undefined;
  readonly published?: string | undefined;
  readonly author?: string | undefined;
}

/** A sentence inside a passage, as offsets into the passage's text (end exclusive, trailing space excluded). */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

/** A paragraph of an article, or its photo caption: the unit that is indexed, cited and quoted. */
export interface Passage {
  /** Readable and stable citation id: `<document id>#p<position>`, e.g. `bannu-siege#p5`. */
  readonly id: string;
  readonly documentId: string;
  /** Position in its document, from 1. */
  readonly position: number;
  readonly kind: 'caption' | 'paragraph';
  /**
   * The article's text as the document file gives it: its words verbatim and in order, a caption without its trailing
   * credit; a line wrapped inside a paragraph is read as one space, and a Markdown document's formatting marks are
   * left out. A line break stands only where the document breaks a line on purpose: between the items of a list or
   * the rows of a table, or a Markdown hard break.
   */
  readonly text: string;
  readonly sentences: readonly SentenceSpan[];
  /** The credit a caption names, e.g. "BBC" for "[Source: BBC]". */
  readonly credit?: string | undefined;
  /**
   * The title of the section the passage stands in: the text of the nearest Markdown heading before it (a heading
   * repeating the document's title excepted). Shown with its citations, never quoted.
   */
  readonly section?: string | undefined;
}

export interface CorpusDocument {
  readonly meta: DocumentMeta;
  /** Path of the document file relative to the corpus folder. */
  readonly file: string;
  readonly passages: readonly Passage[];
}

/** A set of interchangeable terms: any of them in a question also finds the others. */
export interface GlossaryEntry {
  readonly terms: readonly string[];
  /**
   * What the terms name, in a word or two ("militant group", "province"): a passage naming one of them answers
   * "which group…" or "which province…" without repeating the word.
   */
  readonly kind?: string | undefined;
  readonly note?: string | undefined;
}

export interface Glossary {
  readonly entries: readonly GlossaryEntry[];
}

/** A loaded, validated corpus. Immutable: a reload builds a new one. */
export interface Corpus {
  readonly directory: string;
  readonly documents: readonly CorpusDocument[];
  readonly glossary: Glossary;
  /** Example questions for `/help`, from `examples.txt`. */
  readonly examples: readonly string[];
  /**
   * What was found but not loaded, each a sentence naming its file ("corpus/new-article.txt is outside
   * documents/ and was not loaded"): reported with the load, never a reason to refuse it.
   */
  readonly warnings: readonly string[];
}
