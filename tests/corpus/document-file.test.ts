import { describe, expect, it } from 'vitest';
import { parseDocumentFile } from '../../src/corpus/document-file.js';
import { describeProblem, type CorpusProblem } from '../../src/corpus/errors.js';

const FILE = 'documents/x.txt';

/** The problems parsing `content` reports, as the one-line messages users see. */
function problemsOf(content: string): string[] {
  const parsed = parseDocumentFile(FILE, content);
  if (parsed.ok) throw new Error('expected the file to be refused');
  return parsed.problems.map(describeProblem);
}

function problemOf(content: string): CorpusProblem {
  const parsed = parseDocumentFile(FILE, content);
  if (parsed.ok || parsed.problems.length !== 1) throw new Error(`expected exactly one problem, got ${JSON.stringify(parsed)}`);
  return parsed.problems[0]!;
}

describe('parseDocumentFile', () => {
  it('reads the front matter fields and the optional ones when given', () => {
    const parsed = parseDocumentFile(
      FILE,
      '---\nid: flood-report\ntitle: River floods\nsource: Test Wire\nurl: https://example.org/a\npublished: 2022-12-20\nauthor: A. Writer\n---\nText.\n',
    );
    expect(parsed.ok && parsed.document.meta).toEqual({
      id: 'flood-report',
      title: 'River floods',
      source: 'Test Wire',
      url: 'https://example.org/a',
      published: '2022-12-20',
      author: 'A. Writer',
    });
  });

  it('skips blank and "#" comment lines inside the front matter', () => {
    const parsed = parseDocumentFile(FILE, '---\n# where it came from\nid: a\n\ntitle: T\nsource: S\n---\nText.\n');
    expect(parsed.ok).toBe(true);
  });

  it('refuses a file without front matter, naming the file and line 1', () => {
    expect(problemOf('Just text.\n\nMore text.\n')).toMatchObject({ file: FILE, line: 1 });
    expect(problemsOf('Just text.\n')[0]).toMatch(/^documents\/x\.txt: line 1: must start with a front matter block/);
  });

  it('refuses a front matter that is never closed', () => {
    expect(problemsOf('---\nid: a\ntitle: T\nsource: S\nText.\n')).toEqual([
      'documents/x.txt: line 1: the front matter is not closed by a line "---"',
    ]);
  });

  it('names the missing title field', () => {
    expect(problemOf('---\nid: a\nsource: S\n---\nText.\n')).toMatchObject({ file: FILE, field: 'title', message: 'is required' });
  });

  it('names the field and line of an empty title', () => {
    expect(problemsOf('---\nid: a\ntitle:   \nsource: S\n---\nText.\n')).toEqual([
      'documents/x.txt: line 3: field "title": must not be empty',
    ]);
  });

  it('refuses an id that cannot be cited, naming its line', () => {
    expect(problemOf('---\nid: Bannu Siege\ntitle: T\nsource: S\n---\nText.\n')).toMatchObject({ line: 2, field: 'id' });
    expect(problemOf('---\nid: bannu_siege\ntitle: T\nsource: S\n---\nText.\n')).toMatchObject({ line: 2, field: 'id' });
    expect(problemOf(`---\nid: ${'a'.repeat(61)}\ntitle: T\nsource: S\n---\nText.\n`)).toMatchObject({ line: 2, field: 'id' });
  });

  it('refuses an unknown field, naming it and its line', () => {
    expect(problemsOf('---\nid: a\ntitle: T\nsource: S\nlocation: Bannu\n---\nText.\n')).toEqual([
      'documents/x.txt: line 5: field "location": is not a known field (id, title, source, url, published, author)',
    ]);
  });

  it('names every unknown field, each with its line', () => {
    expect(problemsOf('---\nid: a\nlocation: Bannu\ntitle: T\nsource: S\ndate: 2022\n---\nText.\n')).toEqual([
      'documents/x.txt: line 3: field "location": is not a known field (id, title, source, url, published, author)',
      'documents/x.txt: line 6: field "date": is not a known field (id, title, source, url, published, author)',
    ]);
  });

  it('refuses a field given twice, at the second occurrence', () => {
    expect(problemsOf('---\nid: a\ntitle: T\ntitle: U\nsource: S\n---\nText.\n')).toEqual([
      'documents/x.txt: line 4: field "title": is given twice',
    ]);
  });

  it('refuses a front matter line that is not "key: value"', () => {
    expect(problemOf('---\nid: a\njust words\nsource: S\n---\nText.\n')).toMatchObject({ line: 3, message: 'expected "key: value"' });
  });

  it('refuses a malformed url or date, naming each field', () => {
    expect(problemsOf('---\nid: a\ntitle: T\nsource: S\nurl: ftp://example.org\npublished: 20/12/2022\n---\nText.\n')).toEqual([
      'documents/x.txt: line 5: field "url": must be an http(s) URL',
      'documents/x.txt: line 6: field "published": must be a date written YYYY-MM-DD',
    ]);
  });

  it('reports every bad field of the front matter at once', () => {
    const problems = problemsOf('---\nid: BAD\nsource: S\n---\nText.\n');
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/field "id"/);
    expect(problems.join('\n')).toMatch(/field "title": is required/);
  });

  it('refuses a document with no text after its front matter', () => {
    expect(problemOf('---\nid: a\ntitle: T\nsource: S\n---\n\n   \n')).toMatchObject({
      file: FILE,
      message: 'has no text after its front matter: no passages to index',
    });
  });
});
