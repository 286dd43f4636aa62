import { splitSentences } from './sentences.js';
import type { Passage, SentenceSpan } from './types.js';

/** A photo caption ends with its credit: "… police station [Source: BBC]" or "(Image source: Reuters)". */
const CAPTION_CREDIT = /\s*[[(](?:image\s+)?(?:source|credit|photo|picture)s?\s*[:,]\s*([^\])]+?)\s*[\])]\s*$/iu;

/** Paragraphs are separated by blank lines. */
const PARAGRAPH_BREAK = /\n[ \t]*\n/;

/** A line break inside a paragraph, with the spaces around it: the file's wrapping, read as one space. */
const WRAP = /[ \t]*\n[ \t]*/g;

/**
 * One block of a document's text, as a reader of its format finds it: a paragraph, or text whose lines are its
 * units (a list's items, a table's rows), and the section it stands in.
 */
export interface TextBlock {
  /** The block's text: its words verbatim, its formatting marks left out. */
  readonly text: string;
  /**
   * `paragraph`: sentences may run across its line breaks, and a trailing credit makes it a photo caption;
   * `lines`: each line is a unit of its own (a list item, a table row), which no sentence crosses.
   */
  readonly shape: 'paragraph' | 'lines';
  readonly section?: string | undefined;
}

/** Reads a document body: the blocks of its text, in order (see `plainTextBlocks` and `markdownBlocks`). */
export type BodyReader = (body: string) => Iterable<TextBlock>;

/** The id a passage is cited by: readable, and the same on every load while the document's paragraphs stay put. */
export function passageId(documentId: string, position: number): string {
  return `${documentId}#p${position}`;
}

/**
 * A plain-text body's paragraphs, separated by blank lines. A line break inside a paragraph is the file's
 * wrapping, not the article's: it is read as one space, so that a quote reads the same on the console, on Discord
 * and in `--json`.
 */
export function* plainTextBlocks(body: string): Generator<TextBlock, void> {
  for (const paragraph of body.replace(/\r\n?/g, '\n').split(PARAGRAPH_BREAK)) {
    const text = paragraph.trim().replace(WRAP, ' ');
    if (text.length > 0) yield { text, shape: 'paragraph' };
  }
}

/** Splits a plain-text body into passages: one per paragraph, captions recognised by their credit. */
export function splitPassages(documentId: string, body: string): Passage[] {
  return [...passagesOf(documentId, plainTextBlocks(body))];
}

/** The passages of a document's blocks, one at a time, so a very long document can be split in slices. */
export function* passagesOf(documentId: string, blocks: Iterable<TextBlock>): Generator<Passage, void> {
  let position = 0;
  for (const block of blocks) {
    position++;
    const { text, kind, credit } = block.shape === 'paragraph' ? withoutCredit(block.text) : { text: block.text, kind: 'paragraph' as const };
    yield {
      id: passageId(documentId, position),
      documentId,
      position,
      kind,
      text,
      sentences: block.shape === 'paragraph' ? splitSentences(text) : sentencesByLine(text),
      credit,
      ...(block.section === undefined ? {} : { section: block.section }),
    };
  }
}

/** A paragraph, or the photo caption it is when it ends with a credit, without that credit. */
function withoutCredit(paragraph: string): { text: string; kind: Passage['kind']; credit?: string | undefined } {
  // The credit closes the paragraph: a cheap test first, as the expression is tried from every position.
  const match = /[\])]$/.test(paragraph) ? CAPTION_CREDIT.exec(paragraph) : null;
  if (!match || match.index === 0) return { text: paragraph, kind: 'paragraph' };
  return { text: paragraph.slice(0, match.index).trimEnd(), kind: 'caption', credit: match[1] };
}

/** The sentences of each line, as spans into the whole text: no sentence runs from one list item or row into the next. */
function sentencesByLine(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    for (const span of splitSentences(line)) spans.push({ start: start + span.start, end: start + span.end });
    start += line.length + 1;
  }
  return spans;
}
