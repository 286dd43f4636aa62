import { splitSentences } from './sentences.js';
import type { Passage } from './types.js';

/** A photo caption ends with its credit: "… police station [Source: BBC]" or "(Image source: Reuters)". */
const CAPTION_CREDIT = /\s*[[(](?:image\s+)?(?:source|credit|photo|picture)s?\s*[:,]\s*([^\])]+?)\s*[\])]\s*$/iu;

/** Paragraphs are separated by blank lines; a paragraph keeps its inner line breaks verbatim. */
const PARAGRAPH_BREAK = /\n[ \t]*\n/;

/** The id a passage is cited by: readable, and the same on every load while the document's paragraphs stay put. */
export function passageId(documentId: string, position: number): string {
  return `${documentId}#p${position}`;
}

/** Splits a document's body into passages: one per paragraph, captions recognised by their credit. */
export function splitPassages(documentId: string, body: string): Passage[] {
  return [...passagesOf(documentId, body)];
}

/** {@link splitPassages} one passage at a time, so a very long document can be split in slices. */
export function* passagesOf(documentId: string, body: string): Generator<Passage, void> {
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split(PARAGRAPH_BREAK)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  for (const [index, paragraph] of paragraphs.entries()) {
    // The credit closes the paragraph: a cheap test first, as the expression is tried from every position.
    const match = /[\])]$/.test(paragraph) ? CAPTION_CREDIT.exec(paragraph) : null;
    const credit = match && match.index > 0 ? match : null;
    const text = credit ? paragraph.slice(0, credit.index).trimEnd() : paragraph;
    yield {
      id: passageId(documentId, index + 1),
      documentId,
      position: index + 1,
      kind: credit ? 'caption' : 'paragraph',
      text,
      sentences: splitSentences(text),
      credit: credit?.[1],
    };
  }
}
