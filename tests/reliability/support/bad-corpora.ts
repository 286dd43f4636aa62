/**
 * The catalogue of broken corpora: each case takes a good corpus folder (a copy of ./corpus) and breaks it one way,
 * and says which file the error must name and what it must say about it.
 */
import { chmod, copyFile, mkdir, open, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { documentText } from './corpora.js';

export interface ExpectedProblem {
  /** The path the problem names, relative to the corpus folder (`.` for the folder itself). */
  readonly file: string;
  readonly message: RegExp;
  readonly line?: number;
  /** The glossary entry named, counted from 1. */
  readonly entry?: number;
  readonly field?: string;
}

export interface BadCorpusCase {
  readonly name: string;
  /** Breaks the good corpus in `folder`; `outside` is a folder next to it holding `secret.txt`, a valid document. */
  readonly breakIt: (folder: string, outside: string) => Promise<void>;
  readonly expected: ExpectedProblem;
  /** `MAX_CORPUS_FILE_BYTES` for this case, when not the default. */
  readonly maxFileBytes?: number;
  /** Only this problem is reported (a mixed corpus names its bad file, not the good ones). */
  readonly onlyProblem?: boolean;
}

/** Text of the document outside the corpus folder: must never be served, read into an answer or printed. */
export const SECRET_TEXT = 'The outside archive says the siege was reported by a carrier pigeon named Quillfeather.';

/** Writes the folder the link cases point at, beside the corpus folders. */
export async function writeOutside(outside: string): Promise<void> {
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), documentText({ id: 'outside-secret', paragraphs: [SECRET_TEXT] }));
  await writeFile(path.join(outside, 'glossary.json'), JSON.stringify({ entries: [{ terms: ['pigeon', 'siege'] }] }));
}

const doc = (folder: string, name: string): string => path.join(folder, 'documents', name);
const GOOD_EXTRA = documentText({
  id: 'extra-report',
  title: 'A second report',
  paragraphs: ['The hostage-takers asked for a helicopter to Afghanistan, a local official said.'],
});

export const BAD_CORPORA: readonly BadCorpusCase[] = [
  {
    name: 'an empty file',
    breakIt: (folder) => writeFile(doc(folder, 'empty.txt'), ''),
    expected: { file: 'documents/empty.txt', message: /^is empty$/ },
  },
  {
    name: 'a file of only whitespace',
    breakIt: (folder) => writeFile(doc(folder, 'blank.md'), ' \n\t\n   \r\n\n'),
    expected: { file: 'documents/blank.md', message: /^is empty$/ },
  },
  {
    name: 'a binary file',
    breakIt: (folder) => writeFile(doc(folder, 'photo.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff])),
    expected: { file: 'documents/photo.txt', message: /binary file/ },
  },
  {
    name: 'invalid UTF-8',
    breakIt: (folder) =>
      writeFile(
        doc(folder, 'latin1.txt'),
        Buffer.concat([Buffer.from('---\nid: latin1\ntitle: Latin-1\nsource: Test\n---\n\nThe caf'), Buffer.from([0xe9]), Buffer.from(' was closed.\n')]),
      ),
    expected: { file: 'documents/latin1.txt', message: /is not valid UTF-8 text/, line: 7 },
  },
  {
    name: 'a file over a small configured size limit (MAX_CORPUS_FILE_BYTES=4096)',
    maxFileBytes: 4096,
    breakIt: (folder) =>
      writeFile(doc(folder, 'long.txt'), documentText({ id: 'long', paragraphs: Array.from({ length: 200 }, () => 'The standoff went on for another hour.') })),
    expected: { file: 'documents/long.txt', message: /^is \d+ bytes, over the limit of 4096 bytes \(MAX_CORPUS_FILE_BYTES\)$/ },
  },
  {
    name: 'a real 50 MB file, over the default 5 MB limit',
    breakIt: async (folder) => {
      // A sparse file: 50 MB as far as stat knows, but nothing written, so the test stays quick. It is refused on
      // its size alone, before any byte is read.
      const handle = await open(doc(folder, 'huge.txt'), 'w');
      await handle.truncate(50 * 1024 * 1024);
      await handle.close();
    },
    expected: { file: 'documents/huge.txt', message: /^is 50\.0 MB, over the limit of 5\.0 MB \(MAX_CORPUS_FILE_BYTES\)$/ },
  },
  {
    name: 'metadata missing (no front matter)',
    breakIt: (folder) => writeFile(doc(folder, 'bare.txt'), 'Militants seized the police station on Sunday.\n'),
    expected: { file: 'documents/bare.txt', message: /must start with a front matter block/, line: 1 },
  },
  {
    name: 'a required metadata field missing (title)',
    breakIt: (folder) => writeFile(doc(folder, 'untitled.txt'), '---\nid: untitled\nsource: Test\n---\n\nSome text.\n'),
    expected: { file: 'documents/untitled.txt', field: 'title', message: /^is required$/ },
  },
  {
    name: 'metadata of the wrong type (published is not a date)',
    breakIt: (folder) =>
      writeFile(doc(folder, 'dated.txt'), '---\nid: dated\ntitle: Dated\nsource: Test\npublished: last Sunday\n---\n\nSome text.\n'),
    expected: { file: 'documents/dated.txt', field: 'published', line: 5, message: /YYYY-MM-DD/ },
  },
  {
    name: 'metadata of the wrong type (url is not http(s))',
    breakIt: (folder) =>
      writeFile(doc(folder, 'linked.txt'), '---\nid: linked\ntitle: Linked\nsource: Test\nurl: javascript:alert(1)\n---\n\nSome text.\n'),
    expected: { file: 'documents/linked.txt', field: 'url', line: 5, message: /http\(s\) URL/ },
  },
  {
    name: 'an id that is not a valid citation id',
    breakIt: (folder) => writeFile(doc(folder, 'spaced.txt'), '---\nid: Not An Id\ntitle: Spaced\nsource: Test\n---\n\nSome text.\n'),
    expected: { file: 'documents/spaced.txt', field: 'id', line: 2, message: /lowercase letters and digits/ },
  },
  {
    name: 'an unknown metadata field',
    breakIt: (folder) => writeFile(doc(folder, 'tagged.txt'), '---\nid: tagged\ntitle: Tagged\nsource: Test\ntags: siege\n---\n\nSome text.\n'),
    expected: { file: 'documents/tagged.txt', field: 'tags', line: 5, message: /is not a known field/ },
  },
  {
    name: 'two documents with the same id',
    breakIt: (folder) => copyFile(doc(folder, 'bannu-siege.txt'), doc(folder, 'copy-of-bannu.txt')),
    expected: { file: 'documents/copy-of-bannu.txt', field: 'id', message: /^"bannu-siege" is already used by documents\/bannu-siege\.txt$/ },
  },
  {
    name: 'a glossary that is not valid JSON',
    breakIt: (folder) => writeFile(path.join(folder, 'glossary.json'), '{ "entries": [ { "terms": ["TTP", "Pakistani Taliban"], } ] }'),
    expected: { file: 'glossary.json', message: /^is not valid JSON/ },
  },
  {
    name: 'a glossary of the wrong shape',
    breakIt: (folder) => writeFile(path.join(folder, 'glossary.json'), JSON.stringify({ entries: [{ terms: 'TTP' }] })),
    expected: { file: 'glossary.json', entry: 1, field: 'terms', message: /expected array/i },
  },
  {
    name: 'a glossary mapping a term to itself',
    breakIt: (folder) => writeFile(path.join(folder, 'glossary.json'), JSON.stringify({ entries: [{ terms: ['TTP', 'ttp', ' TTP '] }] })),
    expected: { file: 'glossary.json', entry: 1, field: 'terms', message: /^maps a term only to itself$/ },
  },
  {
    name: 'a glossary with a term in two entries (a chain)',
    breakIt: (folder) =>
      writeFile(
        path.join(folder, 'glossary.json'),
        JSON.stringify({ entries: [{ terms: ['militants', 'gunmen'] }, { terms: ['gunmen', 'police'] }] }),
      ),
    expected: { file: 'glossary.json', entry: 2, field: 'terms', message: /"gunmen" is also in entry 1:/ },
  },
  {
    name: 'an examples file with a line too long for Discord',
    breakIt: (folder) => writeFile(path.join(folder, 'examples.txt'), `Who seized the police station?\n${'Why '.repeat(40)}?\n`),
    expected: { file: 'examples.txt', line: 2, message: /longer than 100 characters/ },
  },
  {
    name: 'a symlinked file leading out of the corpus folder',
    breakIt: (folder, outside) => symlink(path.join(outside, 'secret.txt'), doc(folder, 'leak.txt')),
    expected: { file: 'documents/leak.txt', message: /links outside the corpus folder/ },
  },
  {
    name: 'a symlinked folder leading out of the corpus folder',
    breakIt: (folder, outside) => symlink(outside, doc(folder, 'archive')),
    expected: { file: 'documents/archive', message: /links outside the corpus folder/ },
  },
  {
    name: 'a relative ../ link leading out of the corpus folder',
    breakIt: (folder, outside) => symlink(path.join('..', '..', path.basename(outside), 'secret.txt'), doc(folder, 'up.txt')),
    expected: { file: 'documents/up.txt', message: /links outside the corpus folder/ },
  },
  {
    name: 'a glossary that is a link out of the corpus folder',
    breakIt: async (folder, outside) => {
      await rm(path.join(folder, 'glossary.json'));
      await symlink(path.join(outside, 'glossary.json'), path.join(folder, 'glossary.json'));
    },
    expected: { file: 'glossary.json', message: /links outside the corpus folder/ },
  },
  {
    name: 'a broken symlink',
    breakIt: (folder) => symlink(doc(folder, 'gone.txt'), doc(folder, 'dangling.txt')),
    expected: { file: 'documents/dangling.txt', message: /does not exist/ },
  },
  {
    name: 'a document with no passages',
    breakIt: (folder) => writeFile(doc(folder, 'headline.txt'), '---\nid: headline\ntitle: Only a headline\nsource: Test\n---\n\n\n'),
    expected: { file: 'documents/headline.txt', line: 6, message: /no passages to index/ },
  },
  {
    name: 'a file that is not a document (.pdf)',
    breakIt: (folder) => writeFile(doc(folder, 'scan.pdf'), '%PDF-1.4 not really'),
    expected: { file: 'documents/scan.pdf', message: /is not a document/ },
  },
  {
    name: 'the documents folder missing',
    breakIt: (folder) => rm(path.join(folder, 'documents'), { recursive: true }),
    expected: { file: 'documents', message: /is missing/ },
  },
  {
    name: 'the corpus folder itself missing',
    breakIt: (folder) => rm(folder, { recursive: true }),
    expected: { file: '.', message: /the corpus folder ".*" does not exist or is not a folder/ },
  },
  {
    name: 'a mix of good and bad files (refused whole)',
    onlyProblem: true,
    breakIt: async (folder) => {
      await writeFile(doc(folder, 'extra-report.txt'), GOOD_EXTRA);
      await writeFile(doc(folder, 'zz-broken.txt'), '---\nid: zz-broken\ntitle: Broken\n---\n\nText.\n');
    },
    expected: { file: 'documents/zz-broken.txt', field: 'source', message: /^is required$/ },
  },
];

/** Makes a file or folder unreadable for its owner (not for root: see the unreadable-file test). */
export async function lockUp(target: string): Promise<void> {
  await chmod(target, 0o000);
}
