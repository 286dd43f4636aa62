import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseDocumentFile } from '../../src/corpus/document-file.js';
import { passageId, splitPassages } from '../../src/corpus/passages.js';
import { BUNDLED_DOCUMENT, documentFile } from '../fixtures/corpus.js';

describe('splitPassages', () => {
  it('makes one passage per paragraph, cited as "<document>#p<position>" from 1', () => {
    const passages = splitPassages('flood', 'First paragraph.\n\nSecond paragraph.\n \nThird paragraph.');
    expect(passages.map((p) => [p.id, p.position, p.text])).toEqual([
      ['flood#p1', 1, 'First paragraph.'],
      ['flood#p2', 2, 'Second paragraph.'],
      ['flood#p3', 3, 'Third paragraph.'],
    ]);
    expect(passageId('bannu-siege', 5)).toBe('bannu-siege#p5');
  });

  it('skips runs of blank lines without leaving empty passages', () => {
    const passages = splitPassages('d', '\n\n\nOne.\n\n\n\n\nTwo.\n\n');
    expect(passages.map((p) => p.text)).toEqual(['One.', 'Two.']);
  });

  it('reads a line break inside a paragraph as the file\'s wrapping: one space, the words as written', () => {
    const [passage] = splitPassages('d', 'A line   \n  continued here,\r\nand here.');
    expect(passage?.text).toBe('A line continued here, and here.');
  });

  it('recognises a photo caption by its trailing credit, and keeps the credit out of the text', () => {
    const passages = splitPassages(
      'd',
      'A guard at the gate of the police station [Source: BBC]\n\nSoldiers near the compound (Image source: Reuters)\n\nAn ordinary paragraph.',
    );
    expect(passages.map((p) => [p.kind, p.text, p.credit])).toEqual([
      ['caption', 'A guard at the gate of the police station', 'BBC'],
      ['caption', 'Soldiers near the compound', 'Reuters'],
      ['paragraph', 'An ordinary paragraph.', undefined],
    ]);
  });

  it('does not call a paragraph a caption when the credit is not at its end, or is all there is', () => {
    const passages = splitPassages('d', 'The BBC [Source: BBC] reported it later.\n\n[Source: BBC]');
    expect(passages.map((p) => p.kind)).toEqual(['paragraph', 'paragraph']);
    expect(passages[1]?.text).toBe('[Source: BBC]');
  });

  it('records sentence spans that point into the passage text', () => {
    const [passage] = splitPassages('d', 'Mr Asif spoke at 12:30. He said all were freed.');
    expect(passage?.sentences.map(({ start, end }) => passage.text.slice(start, end))).toEqual([
      'Mr Asif spoke at 12:30.',
      'He said all were freed.',
    ]);
  });

  it('keeps a hard-wrapped sentence whole, on one line', () => {
    const [passage] = splitPassages('d', 'Mr Asif said the 33\nmilitants had links. They were held\nin a compound.');
    expect(passage?.sentences.map(({ start, end }) => passage.text.slice(start, end))).toEqual([
      'Mr Asif said the 33 militants had links.',
      'They were held in a compound.',
    ]);
  });
});

describe('passages of a document file', () => {
  const meta = { id: 'flood-report', title: 'River floods the valley', source: 'Test Wire' };
  const paragraphs = ['Heavy rain fell on Monday.', 'The river flooded\nthe valley.', 'Rescue teams evacuated 120 families.'];

  it('gives the same ids and texts on two loads of the same file', () => {
    const content = documentFile(meta, paragraphs);
    const first = parseDocumentFile('documents/flood.txt', content);
    const second = parseDocumentFile('documents/flood.txt', content);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.document.passages).toEqual(first.document.passages);
    expect(first.document.passages.map((p) => p.id)).toEqual(['flood-report#p1', 'flood-report#p2', 'flood-report#p3']);
  });

  it('reads a CRLF file exactly like the same file with LF line ends', () => {
    const lf = parseDocumentFile('documents/flood.txt', documentFile(meta, paragraphs, '\n'));
    const crlf = parseDocumentFile('documents/flood.txt', documentFile(meta, paragraphs, '\r\n'));
    expect(crlf).toEqual(lf);
    if (crlf.ok) for (const passage of crlf.document.passages) expect(passage.text).not.toContain('\r');
  });

  it('ignores a byte-order mark before the front matter', () => {
    const plain = parseDocumentFile('documents/flood.txt', documentFile(meta, paragraphs));
    const withBom = parseDocumentFile('documents/flood.txt', `\uFEFF${documentFile(meta, paragraphs)}`);
    expect(withBom).toEqual(plain);
  });

  it('keeps a change to one paragraph from moving the ids of the others', () => {
    const before = parseDocumentFile('documents/flood.txt', documentFile(meta, paragraphs));
    const after = parseDocumentFile('documents/flood.txt', documentFile(meta, [paragraphs[0]!, 'The river burst its banks.', paragraphs[2]!]));
    if (!before.ok || !after.ok) throw new Error('both files are valid');
    expect(after.document.passages.map((p) => p.id)).toEqual(before.document.passages.map((p) => p.id));
    expect(after.document.passages[2]?.text).toBe(before.document.passages[2]?.text);
  });
});

describe('the bundled article', () => {
  it('starts with the photo caption credited to the BBC, followed by the article paragraphs', async () => {
    const parsed = parseDocumentFile('documents/bannu-siege.txt', await readFile(BUNDLED_DOCUMENT, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const [caption, ...rest] = parsed.document.passages;
    expect(caption).toMatchObject({ id: 'bannu-siege#p1', kind: 'caption', credit: 'BBC' });
    expect(caption?.text).toBe('A Pakistani security official guards a gate on the road leading to the police station');
    expect(rest.every((p) => p.kind === 'paragraph')).toBe(true);
    expect(parsed.document.meta).toMatchObject({ id: 'bannu-siege', source: 'BBC' });
  });

  it('has passage texts that are verbatim pieces of the file', async () => {
    const file = await readFile(BUNDLED_DOCUMENT, 'utf8');
    const parsed = parseDocumentFile('documents/bannu-siege.txt', file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    for (const passage of parsed.document.passages) expect(file).toContain(passage.text);
  });
});
