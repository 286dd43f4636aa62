import { describe, expect, it } from 'vitest';
import { parseDocumentFile } from '../../src/corpus/document-file.js';
import { markdownBlocks } from '../../src/corpus/markdown.js';
import type { Passage } from '../../src/corpus/types.js';

const FRONT_MATTER = '---\nid: floods\ntitle: River floods the valley\nsource: Test Wire\n---\n';

/** The passages of a Markdown document with `body` after its front matter. */
function passagesOf(body: string): readonly Passage[] {
  const parsed = parseDocumentFile('documents/floods.md', FRONT_MATTER + body, markdownBlocks);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.document.passages;
}

const textsOf = (body: string): string[] => passagesOf(body).map((passage) => passage.text);

const sentencesOf = (passage: Passage | undefined): string[] =>
  passage?.sentences.map(({ start, end }) => passage.text.slice(start, end)) ?? [];

/** The words of a text (letters and digits), in order. */
const wordsOf = (text: string): string[] => text.match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether `words` appear in `source` in the same order, as a subsequence: nothing reworded, reordered or added. */
function inOrderIn(words: readonly string[], source: readonly string[]): boolean {
  let at = 0;
  for (const word of words) {
    while (at < source.length && source[at] !== word) at++;
    if (at++ >= source.length) return false;
  }
  return true;
}

describe('Markdown documents', () => {
  it('quotes emphasis, strong text, strikethrough and inline code without their marks', () => {
    expect(textsOf('The river rose **two metres** in *one* night, ~~not~~ `3 m` as first said.\n')).toEqual([
      'The river rose two metres in one night, not 3 m as first said.',
    ]);
  });

  it('keeps a link\'s words and leaves out its address; an autolink is its address', () => {
    expect(textsOf('The [water agency](https://example.org/agency "Agency") said so, see <https://example.org/r>.\n')).toEqual([
      'The water agency said so, see https://example.org/r.',
    ]);
  });

  it('keeps a reference link\'s words and leaves out its definition', () => {
    expect(textsOf('The [agency][a] warned residents.\n\n[a]: https://example.org/agency\n')).toEqual(['The agency warned residents.']);
  });

  it('makes a heading the section of the passages after it, never a quote, until the next heading', () => {
    const passages = passagesOf('Rain fell all week.\n\n## Rescue\n\nTeams evacuated 120 families.\n\nBoats were used.\n\n### Shelters\n\nSchools opened.\n');
    expect(passages.map((passage) => [passage.id, passage.section, passage.text])).toEqual([
      ['floods#p1', undefined, 'Rain fell all week.'],
      ['floods#p2', 'Rescue', 'Teams evacuated 120 families.'],
      ['floods#p3', 'Rescue', 'Boats were used.'],
      ['floods#p4', 'Shelters', 'Schools opened.'],
    ]);
  });

  it('reads a setext heading and a heading with formatting as plain section titles', () => {
    const passages = passagesOf('The *first* day\n---------------\n\nRain fell.\n');
    expect(passages.map((passage) => [passage.section, passage.text])).toEqual([['The first day', 'Rain fell.']]);
  });

  it('names no section for a heading that repeats the document\'s title', () => {
    const passages = passagesOf('# River floods the valley\n\nRain fell all week.\n');
    expect(passages.map((passage) => [passage.section, passage.text])).toEqual([[undefined, 'Rain fell all week.']]);
  });

  it('quotes a list whole, one item a line without its bullet, and no sentence runs from one item into the next', () => {
    const [intro, list] = passagesOf('Those evacuated:\n\n- 120 families from the lower villages\n- a school of **40** children\n  and their teachers\n');
    expect(intro?.text).toBe('Those evacuated:');
    expect(list?.text).toBe('120 families from the lower villages\na school of 40 children and their teachers');
    expect(sentencesOf(list)).toEqual(['120 families from the lower villages', 'a school of 40 children and their teachers']);
    expect(textsOf('- one\n- two\n\n1. First item. It has two sentences.\n2. Second item.\n')).toEqual([
      'one\ntwo',
      'First item. It has two sentences.\nSecond item.',
    ]);
  });

  it('quotes a nested list and a loose list item\'s paragraphs as lines of the one list', () => {
    expect(textsOf('- rescue\n  - boats\n  - helicopters\n- shelter\n\n  in schools\n')).toEqual(['rescue\nboats\nhelicopters\nshelter\nin schools']);
  });

  it('quotes a table whole, one row a line, its cells separated by a tab and no sentence running across rows', () => {
    const [table] = passagesOf('| Village | Families |\n|---|--:|\n| Lower Dir | 120 |\n| **Upper** Dir | 45 |\n| | |\n');
    expect(table?.text).toBe('Village\tFamilies\nLower Dir\t120\nUpper Dir\t45');
    expect(sentencesOf(table)).toEqual(['Village\tFamilies', 'Lower Dir\t120', 'Upper Dir\t45']);
  });

  it('quotes a code block verbatim, its line breaks kept, without its fences', () => {
    expect(textsOf('```text\nWARNING: river at 4.2 m\nEvacuate now\n```\n\n    indented code\n')).toEqual([
      'WARNING: river at 4.2 m\nEvacuate now',
      'indented code',
    ]);
  });

  it('quotes a block quote\'s paragraphs, without the quote marks', () => {
    expect(textsOf('> "We lost everything," a farmer said.\n>\n> He left on Monday.\n')).toEqual([
      '"We lost everything," a farmer said.',
      'He left on Monday.',
    ]);
  });

  it('reads a soft line break as a space and keeps a hard one as a line break', () => {
    expect(textsOf('The river rose\novernight. Roads closed.  \nSchools shut.\\\nShops too.<br>Banks too.\n')).toEqual([
      'The river rose overnight. Roads closed.\nSchools shut.\nShops too.\nBanks too.',
    ]);
  });

  it('leaves out images, HTML tags and HTML blocks, and decodes entities and escapes', () => {
    expect(textsOf('![A flooded road](road.jpg) Water &amp; mud <b>covered</b> the \\*road\\*.\n\n<div class="ad">Advert</div>\n')).toEqual([
      'Water & mud covered the *road*.',
    ]);
  });

  it('still recognises a photo caption by its trailing credit', () => {
    const [caption] = passagesOf('A **flooded** road near the river [Source: Test Wire]\n');
    expect(caption).toMatchObject({ kind: 'caption', text: 'A flooded road near the river', credit: 'Test Wire' });
  });

  it('keeps every quoted word the document\'s, in the document\'s order', () => {
    const body =
      '## The *flood*\n\nThe [river](https://example.org) rose **two metres**, said `the agency`.\n\n- 120 *families*\n- a school\n\n| Village | Families |\n|---|---|\n| Lower | 120 |\n\n> Water & mud.\n';
    const source = wordsOf(body.replace(/\]\([^)]*\)/g, ']'));
    const quoted = passagesOf(body).flatMap((passage) => wordsOf(passage.text));
    expect(quoted.length).toBeGreaterThan(10);
    expect(inOrderIn(quoted, source)).toBe(true);
  });

  it('refuses a Markdown document with headings but no text to quote', () => {
    const parsed = parseDocumentFile('documents/floods.md', `${FRONT_MATTER}# Only a heading\n\n## And another\n`, markdownBlocks);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatchObject({ file: 'documents/floods.md', message: 'has no text after its front matter: no passages to index' });
  });
});
