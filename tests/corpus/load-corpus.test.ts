import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesRead } from '../support/bytes-read.js';
import { CorpusError, describeProblem, type CorpusProblem } from '../../src/corpus/errors.js';
import { DEFAULT_CORPUS_LOAD_OPTIONS, loadCorpus } from '../../src/corpus/load-corpus.js';
import { BUNDLED_CORPUS, documentFile, makeCorpus, makeTempDir, removeTempDirs, SMALL_DOCUMENT, type CorpusSpec } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const VALID_GLOSSARY = { entries: [{ terms: ['flood', 'inundation'] }] };

/** Loads a corpus that must fail, and returns its problems. */
async function problemsLoading(spec: CorpusSpec): Promise<CorpusProblem[]> {
  const directory = await makeCorpus(spec);
  const error = await loadCorpus(directory).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CorpusError);
  return [...(error as CorpusError).problems];
}

describe('loadCorpus', () => {
  it('loads the bundled corpus: its article, glossary and example questions', async () => {
    const corpus = await loadCorpus(BUNDLED_CORPUS);
    expect(corpus.documents.map((d) => d.meta.id)).toEqual(['bannu-siege']);
    expect(corpus.documents[0]?.file).toBe('documents/bannu-siege.txt');
    expect(corpus.glossary.entries.length).toBeGreaterThan(0);
    expect(corpus.examples).toContain('How many hostage-takers were killed?');
  });

  it('loads documents from sub-folders, .txt and .md alike, sorted by id, without a glossary or examples', async () => {
    const directory = await makeCorpus({
      documents: {
        'b/flood.md': SMALL_DOCUMENT,
        'another.txt': documentFile({ id: 'alpha', title: 'Alpha', source: 'S' }, ['Alpha text.']),
      },
    });
    const corpus = await loadCorpus(directory);
    expect(corpus.documents.map((d) => [d.meta.id, d.file])).toEqual([
      ['alpha', 'documents/another.txt'],
      ['flood-report', 'documents/b/flood.md'],
    ]);
    expect(corpus.glossary.entries).toEqual([]);
    expect(corpus.examples).toEqual([]);
  });

  it('warns about a .txt or .md outside documents/, naming it, and loads the rest', async () => {
    const directory = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT }, examples: 'How high was the river?\n' });
    await writeFile(path.join(directory, 'new-article.txt'), SMALL_DOCUMENT);
    await mkdir(path.join(directory, 'drafts'));
    await writeFile(path.join(directory, 'drafts', 'Later.MD'), SMALL_DOCUMENT);
    await writeFile(path.join(directory, 'notes.json'), '{}');
    await writeFile(path.join(directory, '.hidden.txt'), 'x');
    const corpus = await loadCorpus(directory);
    expect(corpus.documents.map((d) => d.meta.id)).toEqual(['flood-report']);
    expect(corpus.warnings).toEqual([
      'drafts/Later.MD is outside documents/ and was not loaded',
      'new-article.txt is outside documents/ and was not loaded',
    ]);
  });

  it('warns about nothing in the bundled corpus', async () => {
    expect((await loadCorpus(BUNDLED_CORPUS)).warnings).toEqual([]);
  });

  it('keeps the previous document of a file whose content is unchanged, and parses an edited or renamed one again', async () => {
    const other = documentFile({ id: 'alpha', title: 'Alpha', source: 'S' }, ['Alpha text.']);
    const directory = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT, 'alpha.txt': other, 'beta.txt': other.replace(/alpha/g, 'beta') } });
    const previous = await loadCorpus(directory);
    await writeFile(path.join(directory, 'documents', 'alpha.txt'), other.replace('Alpha text.', 'Alpha text, edited.'));
    await rm(path.join(directory, 'documents', 'beta.txt'));
    await writeFile(path.join(directory, 'documents', 'beta-moved.txt'), other.replace(/alpha/g, 'beta'));
    const next = await loadCorpus(directory, undefined, previous);
    const byId = (corpus: typeof previous, id: string) => corpus.documents.find((document) => document.meta.id === id);
    expect(byId(next, 'flood-report')).toBe(byId(previous, 'flood-report'));
    expect(byId(next, 'alpha')).not.toBe(byId(previous, 'alpha'));
    expect(byId(next, 'alpha')?.passages[0]?.text).toBe('Alpha text, edited.');
    expect(byId(next, 'beta')?.file).toBe('documents/beta-moved.txt');
  });

  describe('given the previous corpus', () => {
    const big = documentFile({ id: 'big', title: 'Big', source: 'S' }, Array.from({ length: 4000 }, (_, i) => `Paragraph ${i} of a long report on the flood.`));
    const trusting = { ...DEFAULT_CORPUS_LOAD_OPTIONS, trustFileTimesAfterMs: 0 };

    it.runIf(process.platform === 'linux')('does not read a file again whose size and times are those it had when last read, unless it changed within the trust margin', async () => {
      const directory = await makeCorpus({ documents: { 'big.txt': big } });
      const previous = await loadCorpus(directory, trusting);
      let before = await bytesRead();
      expect((await loadCorpus(directory, trusting, previous)).documents[0]).toBe(previous.documents[0]);
      expect((await bytesRead()) - before).toBeLessThan(big.length / 10);
      // Just written, so within the default two seconds: read (and hashed) again, and still the same document.
      before = await bytesRead();
      expect((await loadCorpus(directory, undefined, previous)).documents[0]).toBe(previous.documents[0]);
      expect((await bytesRead()) - before).toBeGreaterThanOrEqual(big.length);
    });

    it('reads a file again whose content changed, even with its size and modification time put back', async () => {
      const directory = await makeCorpus({ documents: { 'big.txt': big } });
      const file = path.join(directory, 'documents', 'big.txt');
      // A whole millisecond, so that putting it back restores it to the nanosecond.
      const mtime = new Date(Date.now() - 60_000);
      await utimes(file, mtime, mtime);
      const previous = await loadCorpus(directory, trusting);
      await writeFile(file, big.replace('Paragraph 0 of', 'Paragraph 0 in'));
      await utimes(file, mtime, mtime);
      const next = await loadCorpus(directory, trusting, previous);
      expect(next.documents[0]).not.toBe(previous.documents[0]);
      expect(next.documents[0]?.passages[0]?.text).toBe('Paragraph 0 in a long report on the flood.');
    });
  });

  it('skips hidden files such as editor leftovers', async () => {
    const directory = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT, '.flood.txt.swp': 'binary junk' } });
    expect((await loadCorpus(directory)).documents).toHaveLength(1);
  });

  it('refuses a corpus folder that does not exist', async () => {
    const missing = path.join(await makeTempDir(), 'nowhere');
    await expect(loadCorpus(missing)).rejects.toThrow(/the corpus folder ".*nowhere" does not exist or is not a folder/);
  });

  it('refuses a corpus without a documents folder, naming it', async () => {
    expect(await problemsLoading({ glossary: VALID_GLOSSARY })).toEqual([
      { file: 'documents', message: 'is missing: put the articles in a folder "documents"' },
    ]);
  });

  it('refuses an empty documents folder', async () => {
    const directory = await makeTempDir();
    await mkdir(path.join(directory, 'documents'));
    await expect(loadCorpus(directory)).rejects.toThrow(/documents: holds no documents/);
  });

  it('refuses an empty document file, naming it', async () => {
    const problems = await problemsLoading({ documents: { 'flood.txt': SMALL_DOCUMENT, 'empty.txt': '  \n\n' } });
    expect(problems).toEqual([{ file: 'documents/empty.txt', message: 'is empty' }]);
  });

  it('refuses a file in documents that is not .txt or .md', async () => {
    const problems = await problemsLoading({ documents: { 'flood.txt': SMALL_DOCUMENT, 'notes.docx': 'x' } });
    expect(problems.map(describeProblem)).toEqual(['documents/notes.docx: is not a document: documents are .txt or .md files']);
  });

  it('refuses two documents with the same id, naming both files', async () => {
    const problems = await problemsLoading({ documents: { 'a.txt': SMALL_DOCUMENT, 'b.txt': SMALL_DOCUMENT } });
    expect(problems).toEqual([
      { file: 'documents/b.txt', field: 'id', message: '"flood-report" is already used by documents/a.txt' },
    ]);
  });

  it('reports a duplicate id together with the other problems of its file, in file order', async () => {
    const problems = await problemsLoading({
      documents: {
        'a.txt': SMALL_DOCUMENT,
        'b.txt': '---\nid: flood-report\ntitle:\nsource: S\ncolour: red\n---\nText.\n',
        'c.txt': '---\nid: other\ntitle: T\nsource: S\nurl: ftp://x\n---\nText.\n',
      },
    });
    expect(problems.map(describeProblem)).toEqual([
      'documents/b.txt: field "id": "flood-report" is already used by documents/a.txt',
      'documents/b.txt: line 3: field "title": must not be empty',
      'documents/b.txt: line 5: field "colour": is not a known field (id, title, source, url, published, author)',
      'documents/c.txt: line 5: field "url": must be an http(s) URL',
    ]);
  });

  it('reports a duplicate id in a file whose front matter stops at a malformed line', async () => {
    const problems = await problemsLoading({
      documents: { 'a.txt': SMALL_DOCUMENT, 'b.txt': '---\nid: flood-report\njust words\n---\nText.\n' },
    });
    expect(problems.map(describeProblem)).toEqual([
      'documents/b.txt: field "id": "flood-report" is already used by documents/a.txt',
      'documents/b.txt: line 3: expected "key: value"',
    ]);
  });

  it('lists problems in file order: each folder\'s entries by name, then examples.txt and glossary.json', async () => {
    const problems = await problemsLoading({
      documents: {
        'z.txt': '---\nid: z\ntitle: T\n---\nText.\n',
        'sub/b.txt': '---\nid: b\nsource: S\n---\nText.\n',
        'a.txt': '---\nid: A\ntitle: T\nsource: S\n---\nText.\n',
        'notes.docx': 'x',
      },
      glossary: { entries: [{ terms: ['flood'] }] },
      examples: 'x'.repeat(101),
    });
    expect(problems.map((problem) => problem.file)).toEqual([
      'documents/a.txt',
      'documents/notes.docx',
      'documents/sub/b.txt',
      'documents/z.txt',
      'examples.txt',
      'glossary.json',
    ]);
  });

  it('names the file, line and field of a bad front matter', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT, 'bad.txt': '---\nid: x\ntitle: T\nsource: S\ncolour: red\n---\nText.\n' },
    });
    expect(problems.map(describeProblem)).toEqual([
      'documents/bad.txt: line 5: field "colour": is not a known field (id, title, source, url, published, author)',
    ]);
  });

  it('refuses a glossary that is not valid JSON, naming glossary.json', async () => {
    const problems = await problemsLoading({ documents: { 'flood.txt': SMALL_DOCUMENT }, glossary: '{ "entries": [ }' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'glossary.json' });
    expect(problems[0]?.message).toMatch(/^is not valid JSON/);
  });

  it('refuses a glossary of the wrong shape, naming the field at fault', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      glossary: { entries: [{ terms: ['flood'] }, { terms: ['rain', '  '], kind: '' }], version: 2 },
    });
    expect(problems.map(describeProblem)).toEqual([
      'glossary.json: field "version": is not a known field (entries)',
      'glossary.json: entry 1: field "terms": must list at least two terms that mean the same',
      'glossary.json: entry 2: field "terms": term 2 must not be empty',
      'glossary.json: entry 2: field "kind": must not be empty',
    ]);
  });

  it('names an unknown field of a glossary entry, counting entries from 1', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      glossary: { entries: [{ terms: ['flood', 'inundation'] }, { terms: ['rain', 'downpour'], colour: 'blue' }] },
    });
    expect(problems.map(describeProblem)).toEqual(['glossary.json: entry 2: field "colour": is not a known field (terms, kind, note)']);
  });

  it('refuses a term shared by two glossary entries, naming both', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      glossary: { entries: [{ terms: ['flood', 'inundation'] }, { terms: ['deluge', 'Flood'] }] },
    });
    expect(problems).toEqual([
      { file: 'glossary.json', entry: 2, field: 'terms', message: '"flood" is also in entry 1: merge the two entries or remove one' },
    ]);
  });

  it('refuses a glossary entry whose terms only map to themselves', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      glossary: { entries: [{ terms: ['TTP', 'ttp'] }] },
    });
    expect(problems).toEqual([{ file: 'glossary.json', entry: 1, field: 'terms', message: 'maps a term only to itself' }]);
  });

  it('refuses an example question over 100 characters, naming its line', async () => {
    const problems = await problemsLoading({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      examples: `# examples\nHow high was the river?\n${'Why '.repeat(30)}?\n`,
    });
    expect(problems).toEqual([{ file: 'examples.txt', line: 3, message: 'is longer than 100 characters' }]);
  });

  it('reads example questions one a line, skipping blank and "#" lines', async () => {
    const directory = await makeCorpus({
      documents: { 'flood.txt': SMALL_DOCUMENT },
      examples: '# comment\r\n\r\n  How high was the river?  \r\nWho was evacuated?\r\n',
    });
    expect((await loadCorpus(directory)).examples).toEqual(['How high was the river?', 'Who was evacuated?']);
  });

  it('reports the problems of every file in one error, each naming its file', async () => {
    const directory = await makeCorpus({
      documents: { 'flood.txt': SMALL_DOCUMENT, 'no-title.txt': '---\nid: b\nsource: S\n---\nText.\n', 'empty.md': '' },
      glossary: 'not json',
      examples: 'x'.repeat(101),
    });
    const error = await loadCorpus(directory).catch((caught: unknown) => caught as CorpusError);
    expect(error).toBeInstanceOf(CorpusError);
    const files = (error as CorpusError).problems.map((p) => p.file).sort();
    expect(files).toEqual(['documents/empty.md', 'documents/no-title.txt', 'examples.txt', 'glossary.json']);
    expect((error as CorpusError).message).toMatch(/^corpus: 4 problems stopped the load:\n/);
    expect((error as CorpusError).message).toContain('  - documents/no-title.txt: field "title": is required');
  });

  it('loads a document that only changed from LF to CRLF line ends into the same passages', async () => {
    const lf = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT } });
    const crlf = await makeTempDir();
    await mkdir(path.join(crlf, 'documents'));
    await writeFile(path.join(crlf, 'documents', 'flood.txt'), SMALL_DOCUMENT.replace(/\n/g, '\r\n'));
    const [a, b] = await Promise.all([loadCorpus(lf), loadCorpus(crlf)]);
    expect(b.documents[0]?.passages).toEqual(a.documents[0]?.passages);
  });
});
