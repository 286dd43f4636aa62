import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesRead } from '../support/bytes-read.js';
import { CorpusError } from '../../src/corpus/errors.js';
import { DEFAULT_LIBRARY_OPTIONS, Library, type LibraryOptions } from '../../src/library/library.js';
import { overviewOf } from '../../src/library/overview.js';
import { copyBundledCorpus, documentFile, makeCorpus, removeTempDirs, SMALL_DOCUMENT, writeCorpus } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

const QUESTION = 'How many hostage-takers were killed?';

describe('Library.load', () => {
  it('serves the corpus as version 1', async () => {
    const library = await Library.load(await copyBundledCorpus());
    expect(library.current.version).toBe(1);
    expect((await library.current.engine.answer(QUESTION)).answered).toBe(true);
  });

  it('refuses to start on a broken corpus, naming the file', async () => {
    const directory = await makeCorpus({ documents: { 'bad.txt': 'no front matter\n' } });
    const error = await Library.load(directory).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as CorpusError).message).toContain('documents/bad.txt: line 1:');
  });
});

describe('Library.reload', () => {
  it('reports an unchanged corpus as nothing changed', async () => {
    const library = await Library.load(await copyBundledCorpus());
    const outcome = await library.reload();
    expect(outcome).toMatchObject({
      ok: true,
      joined: false,
      report: {
        documents: { added: [], removed: [], changed: [] },
        passages: { added: [], removed: [], changed: [] },
        documentCount: 1,
        passageCount: 20,
        glossaryChanged: false,
      },
    });
    expect(library.current.version).toBe(2);
  });

  it('reports an article saved beside documents/ as a warning, not a refusal', async () => {
    const directory = await copyBundledCorpus();
    const library = await Library.load(directory);
    await writeFile(path.join(directory, 'new-article.txt'), SMALL_DOCUMENT);
    const outcome = await library.reload();
    expect(outcome).toMatchObject({
      ok: true,
      report: { warnings: ['new-article.txt is outside documents/ and was not loaded'] },
    });
  });

  it('reports the documents and passages added, removed and changed, and serves the new corpus', async () => {
    const directory = await makeCorpus({
      documents: {
        'flood.txt': SMALL_DOCUMENT,
        'old.txt': documentFile({ id: 'old-news', title: 'Old news', source: 'S' }, ['An old story about a bridge.']),
      },
    });
    const library = await Library.load(directory);
    expect((await library.current.engine.answer('How many families were evacuated?')).answered).toBe(true);

    await rm(path.join(directory, 'documents', 'old.txt'));
    await writeCorpus(directory, {
      documents: {
        'flood.txt': documentFile({ id: 'flood-report', title: 'River floods the valley', source: 'Test Wire' }, [
          'Heavy rain made the river flood the valley on Monday.',
          'Rescue teams evacuated 300 families from the lower villages. Nobody was hurt.',
          'Schools reopened on Thursday.',
        ]),
        'quake.txt': documentFile({ id: 'quake', title: 'Quake', source: 'S' }, ['An earthquake shook the coast.']),
      },
      glossary: { entries: [{ terms: ['evacuated', 'moved to safety'] }] },
    });
    const outcome = await library.reload();
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.report.documents).toEqual({ added: ['quake'], removed: ['old-news'], changed: ['flood-report'] });
    expect(outcome.report.passages).toEqual({
      added: ['flood-report#p3', 'quake#p1'],
      removed: ['old-news#p1'],
      changed: ['flood-report#p2'],
    });
    expect(outcome.report).toMatchObject({ documentCount: 2, passageCount: 4, glossaryChanged: true });
    expect(outcome.report.milliseconds).toBeGreaterThanOrEqual(0);

    const answer = await library.current.engine.answer('How many families were moved to safety?');
    expect(answer.quotes[0]?.text).toBe('Rescue teams evacuated 300 families from the lower villages.');
    expect(library.current.engine.passage('old-news#p1')).toBeUndefined();
  });

  it('reports a passage whose section heading changed as changed, though its text did not', async () => {
    const markdown = (heading: string): string => `---\nid: floods\ntitle: Floods\nsource: S\n---\n## ${heading}\n\nRescue teams evacuated 120 families.\n`;
    const directory = await makeCorpus({ documents: { 'floods.md': markdown('Rescue') } });
    const library = await Library.load(directory);
    await writeCorpus(directory, { documents: { 'floods.md': markdown('Evacuation') } });
    const outcome = await library.reload();
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.report.passages).toEqual({ added: [], removed: [], changed: ['floods#p1'] });
    expect(outcome.report.documents.changed).toEqual(['floods']);
  });

  it('answers with citations naming the section each quote stands in, and none for a document without headings', async () => {
    const directory = await makeCorpus({
      documents: {
        'floods.md': '---\nid: floods\ntitle: Floods\nsource: S\n---\n## Rescue work\n\nRescue teams evacuated 120 *families*.\n',
        'quake.txt': documentFile({ id: 'quake', title: 'Quake', source: 'S' }, ['An earthquake shook the coast and rescue teams waited.']),
      },
    });
    const library = await Library.load(directory);
    const answer = await library.answer('How many families did rescue teams evacuate?');
    expect(answer.quotes[0]).toMatchObject({ text: 'Rescue teams evacuated 120 families.', citation: { passageId: 'floods#p1', section: 'Rescue work' } });
    const unsectioned = await library.answer('What shook the coast?');
    expect(unsectioned.quotes[0]?.citation.passageId).toBe('quake#p1');
    expect(unsectioned.quotes[0]?.citation.section).toBeUndefined();
  });

  it('answers after a reload that edits one document as a fresh load of the edited corpus does, keeping the others\' passages', async () => {
    const directory = await makeCorpus({
      documents: {
        'flood.txt': SMALL_DOCUMENT,
        'quake.txt': documentFile({ id: 'quake', title: 'Quake', source: 'S' }, ['An earthquake shook the coast.', 'Two bridges collapsed.']),
      },
    });
    const library = await Library.load(directory);
    const flood = library.current.engine.passage('flood-report#p2')!.passage;
    await writeCorpus(directory, {
      documents: { 'quake.txt': documentFile({ id: 'quake', title: 'Quake', source: 'S' }, ['An earthquake shook the coast.', 'Three bridges collapsed and 40 families were evacuated.']) },
    });
    const outcome = await library.reload();
    expect(outcome).toMatchObject({ ok: true, report: { documents: { changed: ['quake'] }, passages: { changed: ['quake#p2'] } } });
    const fresh = await Library.load(directory);
    for (const question of ['How many bridges collapsed?', 'How many families were evacuated?', 'What shook the coast?']) {
      expect(library.current.engine.answer(question)).toEqual(fresh.current.engine.answer(question));
    }
    expect(library.current.engine.passage('flood-report#p2')!.passage).toBe(flood);
  });

  it('keeps serving the old corpus, answering identically, when the new one is broken, and reports why', async () => {
    const directory = await copyBundledCorpus();
    const library = await Library.load(directory);
    const before = library.current;
    const answerBefore = await before.engine.answer(QUESTION);

    await writeFile(path.join(directory, 'documents', 'bannu-siege.txt'), '---\nid: bannu-siege\nsource: BBC\n---\nAll changed.\n');
    await writeFile(path.join(directory, 'glossary.json'), '{ "entries": [');
    const outcome = await library.reload();

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.joined).toBe(false);
    expect(outcome.problems.map((p) => [p.file, p.field])).toEqual([
      ['documents/bannu-siege.txt', 'title'],
      ['glossary.json', undefined],
    ]);
    expect(library.current).toBe(before);
    expect(library.current.version).toBe(1);
    expect((await library.current.engine.answer(QUESTION))).toEqual(answerBefore);
  });

  it('recovers on the next reload once the corpus is fixed', async () => {
    const directory = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT } });
    const library = await Library.load(directory);
    await writeFile(path.join(directory, 'documents', 'flood.txt'), '');
    expect((await library.reload()).ok).toBe(false);
    await writeFile(path.join(directory, 'documents', 'flood.txt'), SMALL_DOCUMENT);
    const outcome = await library.reload();
    expect(outcome.ok).toBe(true);
    expect(library.current.version).toBe(2);
  });

  describe('right after its files were written', () => {
    const big = documentFile({ id: 'big', title: 'Big', source: 'S' }, Array.from({ length: 4000 }, (_, i) => `Paragraph ${i} of a long report on the flood.`));
    // The margin within which a file's times are not trusted, shortened from two seconds to keep the test short.
    const options: LibraryOptions = { ...DEFAULT_LIBRARY_OPTIONS, corpus: { ...DEFAULT_LIBRARY_OPTIONS.corpus, trustFileTimesAfterMs: 1000 } };

    it.runIf(process.platform === 'linux')('reads no unchanged file in the first reload after the start, once the start has trusted them', async () => {
      const directory = await makeCorpus({ documents: { 'big.txt': big, 'flood.txt': SMALL_DOCUMENT } });
      const library = await Library.load(directory, options);
      await library.filesTrusted();
      let before = await bytesRead();
      const outcome = await library.reload();
      expect((await bytesRead()) - before).toBeLessThan(big.length / 10);
      expect(outcome).toMatchObject({ ok: true, report: { documents: { added: [], removed: [], changed: [] }, passages: { added: [], removed: [], changed: [] } } });

      // Against a start whose files are still too recent to trust at its first reload: that reload reads them again.
      const untrusting = await Library.load(directory, { ...options, corpus: { ...options.corpus, trustFileTimesAfterMs: 60_000 } });
      before = await bytesRead();
      expect((await untrusting.reload()).ok).toBe(true);
      expect((await bytesRead()) - before).toBeGreaterThanOrEqual(big.length);
    });

    it('sees a file edited after the start before its times could be trusted', async () => {
      const directory = await makeCorpus({ documents: { 'big.txt': big, 'flood.txt': SMALL_DOCUMENT } });
      const library = await Library.load(directory, options);
      // The same size, at once: the edit's times may fall in the same tick of the file system's clock as the write's.
      await writeFile(path.join(directory, 'documents', 'big.txt'), big.replace('Paragraph 0 of', 'Paragraph 0 in'));
      await library.filesTrusted();
      const outcome = await library.reload();
      expect(outcome).toMatchObject({ ok: true, report: { passages: { changed: ['big#p1'] } } });
      expect(library.current.engine.passage('big#p1')?.passage.text).toBe('Paragraph 0 in a long report on the flood.');
    });
  });

  it('runs overlapping reloads once: the later requests join the running one and share its result', async () => {
    const directory = await copyBundledCorpus();
    const library = await Library.load(directory);
    const outcomes = await Promise.all([library.reload(), library.reload(), library.reload()]);
    expect(outcomes.map((outcome) => outcome.joined)).toEqual([false, true, true]);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(library.current.version).toBe(2);
    const [first, ...joined] = outcomes;
    for (const outcome of joined) expect({ ...outcome, joined: false }).toEqual(first);
    expect((await library.reload()).joined).toBe(false);
    expect(library.current.version).toBe(3);
  });

  it('shares a failed result with the reloads that joined it', async () => {
    const directory = await makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT } });
    const library = await Library.load(directory);
    await rm(path.join(directory, 'documents'), { recursive: true });
    const outcomes = await Promise.all([library.reload(), library.reload()]);
    expect(outcomes.map((outcome) => [outcome.ok, outcome.joined])).toEqual([
      [false, false],
      [false, true],
    ]);
    expect(library.current.version).toBe(1);
  });
});

describe('overviewOf', () => {
  it('lists the documents with their passage counts, the glossary size and the example questions', async () => {
    const library = await Library.load(
      await makeCorpus({
        documents: { 'flood.txt': SMALL_DOCUMENT },
        glossary: { entries: [{ terms: ['flood', 'inundation'] }] },
        examples: 'How high was the river?\n',
      }),
    );
    expect(overviewOf(library.current.engine)).toEqual({
      documents: [{ id: 'flood-report', title: 'River floods the valley', source: 'Test Wire', url: undefined, passageCount: 2 }],
      passageCount: 2,
      glossaryEntries: 1,
      examples: ['How high was the river?'],
      answering: { mode: 'lexical', model: 'off' },
    });
  });
});
