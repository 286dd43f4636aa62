import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession, runConsole, type ConsoleResult } from '../fixtures/console-process.js';
import { BUNDLED_DOCUMENT, copyBundledCorpus, documentFile, makeCorpus, REPO_ROOT, removeTempDirs, scratchDir, SMALL_DOCUMENT } from '../fixtures/corpus.js';

afterAll(removeTempDirs);

/**
 * Child processes start slowly on a loaded machine (the suite runs many at once), so the waits here are generous;
 * on an idle one the whole file takes a few seconds.
 */
const PROCESS_TIMEOUT = 180_000;

const TOKEN = 'not-a-real-token-value-123';
const JSON_QUESTIONS = [
  'How many hostage-takers were killed?',
  'What is the capital of France?',
  '',
  `why ${'x'.repeat(9996)}`,
  '💥 **who** seized the `police station`? 🔫',
  '@everyone **what** did the militants ask for?',
  '{"question": "not JSON, just text"}',
  'When did the army take back the police station?',
];

/**
 * The one-shot console runs, all started at once before any test so they overlap with each other and with the
 * long-running session below; each describe awaits its own.
 */
let oneShot: {
  quit: Promise<ConsoleResult>;
  json: Promise<ConsoleResult>;
  brokenDocument: Promise<ConsoleResult>;
  brokenGlossaryJson: Promise<ConsoleResult>;
  badEnvironment: Promise<ConsoleResult>;
  modelOff: Promise<ConsoleResult>;
  more: Promise<ConsoleResult>;
  formats: Promise<ConsoleResult>;
  formatsJson: Promise<ConsoleResult>;
};

/** A Markdown article with a section, and a plain-text one hard-wrapped at a short width. */
const FORMATS_CORPUS = {
  documents: {
    'floods.md': '---\nid: floods\ntitle: Floods in the valley\nsource: Wire\n---\n# Floods in the valley\n\n## Rescue work\n\nRescue teams evacuated **120 families** from [the lower villages](https://example.org/map).\n',
    'dam.txt': '---\nid: dam\ntitle: Dam inspection\nsource: Wire\n---\nThe dam engineers reported that the\nspillway had cracked overnight, and\nthat repairs would take a week.\n',
  },
};
const FORMATS_QUESTIONS = 'How many families did rescue teams evacuate?\nWhat did the dam engineers report about the spillway?\n';

beforeAll(() => {
  const formats = makeCorpus(FORMATS_CORPUS);
  const inCorpus = (corpus: Promise<string>, input: string, args: string[] = []): Promise<ConsoleResult> =>
    corpus.then((corpusDir) => runConsole(input, { corpusDir, args }, PROCESS_TIMEOUT));
  oneShot = {
    // With an article saved beside documents/, which the start banner names.
    quit: inCorpus(
      copyBundledCorpus().then(async (directory) => {
        await writeFile(path.join(directory, 'new-article.txt'), SMALL_DOCUMENT);
        return directory;
      }),
      '/help\n/quit\nHow many hostage-takers were killed?\n',
    ),
    // The default corpus (./corpus); CRLF line ends; the last line has no line end at all.
    json: runConsole(JSON_QUESTIONS.join('\r\n'), { args: ['--json'] }, PROCESS_TIMEOUT),
    brokenDocument: inCorpus(
      makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT, 'bad.txt': 'Forgot the front matter.\n' } }),
      'How many families were evacuated?\n',
    ),
    brokenGlossaryJson: inCorpus(makeCorpus({ documents: { 'flood.txt': SMALL_DOCUMENT }, glossary: '{ nope' }), 'x\n', ['--json']),
    badEnvironment: runConsole('', { env: { DISCORD_TOKEN: TOKEN, MAX_CORPUS_FILE_BYTES: 'lots' } }, PROCESS_TIMEOUT),
    modelOff: runConsole('/help\nHow many hostage-takers were killed?\n', { env: { EMBEDDINGS: 'off' } }, PROCESS_TIMEOUT),
    // Seven passages that answer alike: three pages of quotes.
    more: inCorpus(makeCorpus({ documents: { 'flood.txt': documentFile(FLOOD, VILLAGES.map((village, i) => `Rescue teams evacuated ${10 * (i + 1)} families from the village of ${village} after the river flooded.`)) } }), ['/more', 'How many families were evacuated after the river flooded?', '/more', '/source passage: p1', '/more', '/more', ''].join('\n')),
    formats: inCorpus(formats, FORMATS_QUESTIONS),
    formatsJson: inCorpus(formats, FORMATS_QUESTIONS, ['--json']),
  };
});

const FLOOD = { id: 'flood-report', title: 'River floods the valley', source: 'Test Wire' };
const VILLAGES = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Gum'];
const TITLE = 'Pakistani forces retake Bannu police station seized by militants';
const ABSTENTION = "The articles I have don't say. I only answer with quotes from them, and none answers that.";
/** A stack trace line, which a user should never see for a problem they can fix. */
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe('console, line mode (standard input is a pipe)', { timeout: PROCESS_TIMEOUT }, () => {
  let session: ConsoleSession;
  let corpusDir: string;
  let article: string;

  beforeAll(async () => {
    corpusDir = await copyBundledCorpus();
    article = await readFile(BUNDLED_DOCUMENT, 'utf8');
    session = new ConsoleSession({ corpusDir });
  });
  afterAll(() => session.kill());

  it('starts by saying what it serves and how to ask, with no prompt', async () => {
    const header = await session.waitFor(/Ctrl-D or \/quit to leave\.\n/, PROCESS_TIMEOUT);
    expect(header).toContain('incident-desk console: 1 document(s), 20 passages from ');
    expect(header).toContain('/ask question: …, /more, /source passage: …, /reload, /gaps, /help; start a line with > to follow up the last answer.');
    expect(header).not.toContain('ask> ');
  }, PROCESS_TIMEOUT);

  let plainReply = '';

  it('answers a plain question with the verbatim quote and its citation, without terminal escapes', async () => {
    plainReply = await session.exchange('How many hostage-takers were killed?');
    const lines = plainReply.split('\n');
    expect(lines[0]).toBe(
      '  > Pakistani security forces have retaken a police station that was captured, killing all 33 hostage-takers, the defence minister has said.',
    );
    expect(lines[1]).toBe(`  — "${TITLE}" (BBC), bannu-siege#p2, passage 2 of 20`);
    expect(plainReply).toMatch(/\nconfidence (0|1)\.\d\d( · \d+ more quote\(s\))?\n$/);
    for (const line of lines.filter((l) => l.startsWith('  > '))) expect(article).toContain(line.slice(4));
    expect(plainReply).not.toContain('\u001b');
  });

  it('answers "/ask question: … private: true" as it answers the plain question', async () => {
    expect(await session.exchange('/ask question: How many hostage-takers were killed? private: true')).toBe(plainReply);
    expect(await session.exchange('/ask How many hostage-takers were killed?')).toBe(plainReply);
  });

  it('abstains on an off-topic question, saying so', async () => {
    const reply = await session.exchange('What is the capital of France?');
    expect(reply.startsWith(ABSTENTION)).toBe(true);
    expect(reply).not.toMatch(/^ {2}> /m);
  });

  it('shows the closest passage of an abstention labelled as not an answer', async () => {
    const reply = await session.exchange('What did the police eat for breakfast?');
    expect(reply.startsWith(ABSTENTION)).toBe(true);
    expect(reply).toContain('\nClosest passage (not an answer):\n  > ');
  });

  it('shows a whole passage and its neighbours for "/source passage: bannu-siege#p3"', async () => {
    expect(await session.exchange('/source passage: bannu-siege#p3')).toBe(
      [
        `bannu-siege#p3: passage 3 of 20 in "${TITLE}" (BBC)`,
        '  > Islamist militants from the Pakistani Taliban seized the centre in the remote north-western Bannu district on Sunday.',
        '  previous: bannu-siege#p2, next: bannu-siege#p4',
        '',
      ].join('\n'),
    );
  });

  it('shows the photo caption with its credit', async () => {
    const reply = await session.exchange('/source passage: bannu-siege#p1');
    expect(reply).toContain('bannu-siege#p1: photo caption 1 of 20');
    expect(reply).toContain('  (caption credit: BBC)');
  });

  it('shows the same passage for the short id "/source passage: p3", as one document has a third passage', async () => {
    expect(await session.exchange('/source passage: p3')).toBe(await session.exchange('/source passage: bannu-siege#p3'));
  });

  it('says an unknown passage id does not exist, suggesting the nearest', async () => {
    expect(await session.exchange('/source passage: bannu-siege#p404')).toMatch(
      /^There is no passage "bannu-siege#p404" \(bannu-siege has 20 passages\)\. Did you mean bannu-siege#p20\?/,
    );
    expect(await session.exchange('/source bannu-seige#p5')).toMatch(/^There is no passage "bannu-seige#p5"\. Did you mean bannu-siege#p5\?/);
  });

  it('describes the corpus and example questions for /help', async () => {
    const reply = await session.exchange('/help');
    expect(reply).toContain(`  - ${TITLE} (BBC), 20 passages, id bannu-siege`);
    expect(reply).toContain('Try:\n  How many hostage-takers were killed?\n');
  });

  it('says there is no such command for an unknown one', async () => {
    expect(await session.exchange('/frobnicate now')).toBe('There is no /frobnicate command. Try /ask, /more, /source, /reload, /gaps or /help.\n');
  });

  it('prints nothing for an empty or blank line', async () => {
    expect(await session.exchange('')).toBe('');
    expect(await session.exchange('   \t ')).toBe('');
  });

  it('refuses a 10,000-character line politely, naming the limit', async () => {
    const reply = await session.exchange(`why ${'x'.repeat(9996)}`);
    expect(reply).toBe('question: Questions can be at most 300 characters; yours has 10000. Please shorten it.\n');
  });

  it('answers or abstains on lines with emoji, markdown and @everyone, quoting only the article', async () => {
    for (const line of [
      '💥 how many hostage-takers were killed? 🔫',
      '**Who** _seized_ the `police station`? > quote ~~strike~~',
      '@everyone @here <@123456789012345678> who did the defence minister blame?',
      '🙂🙂🙂',
    ]) {
      const reply = await session.exchange(line);
      expect(reply.startsWith(ABSTENTION) || reply.startsWith('  > '), `${line}:\n${reply}`).toBe(true);
      for (const quoted of reply.split('\n').filter((l) => l.startsWith('  > '))) expect(article).toContain(quoted.slice(4));
    }
  });

  it('never prints control characters typed at it', async () => {
    const reply = await session.exchange('/\u001b[2J\u0007bell');
    expect(reply).toMatch(/^There is no \/.*bell command\./);
    expect(reply).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
  });

  it('reloads an unchanged corpus, saying nothing changed', async () => {
    expect(await session.exchange('/reload')).toMatch(/^Reloaded 1 document\(s\), 20 passages in \d+ ms\. Nothing changed\.\n$/);
  });

  it('reloads a new article and answers from it at once', async () => {
    await writeFile(path.join(corpusDir, 'documents', 'flood.txt'), SMALL_DOCUMENT);
    const reply = await session.exchange('/reload');
    expect(reply).toMatch(/^Reloaded 2 document\(s\), 22 passages in \d+ ms\.\n/);
    expect(reply).toContain('  documents added: flood-report\n');
    expect(reply).toContain('  passages added: flood-report#p1, flood-report#p2\n');
    const answer = await session.exchange('How many families were evacuated?');
    expect(answer).toContain('  > Rescue teams evacuated 120 families from the lower villages.');
    expect(answer).toContain('  — "River floods the valley" (Test Wire), flood-report#p2, passage 2 of 2');
  });

  it('reloads with a warning naming an article saved outside documents/, and serves the rest', async () => {
    await writeFile(path.join(corpusDir, 'new-article.txt'), SMALL_DOCUMENT);
    const reply = await session.exchange('/reload');
    expect(reply).toContain('  warning: new-article.txt is outside documents/ and was not loaded\n');
    expect(reply).toMatch(/^Reloaded 2 document\(s\), 22 passages/);
    await rm(path.join(corpusDir, 'new-article.txt'));
  });

  it('refuses to reload a broken corpus, names the file at fault, and keeps answering from the old one', async () => {
    await writeFile(path.join(corpusDir, 'documents', 'flood.txt'), '---\nid: Flood Report\ntitle: x\nsource: y\n---\nText.\n');
    const reply = await session.exchange('/reload');
    expect(reply).toBe(
      [
        'Reload refused: the corpus has problems, so the previous corpus is still being served.',
        '  - documents/flood.txt: line 2: field "id": must be lowercase letters and digits joined by hyphens, e.g. bannu-siege',
        '',
      ].join('\n'),
    );
    expect(await session.exchange('How many families were evacuated?')).toContain('flood-report#p2');
    expect(await session.exchange('How many hostage-takers were killed?')).toBe(plainReply);
    await rm(path.join(corpusDir, 'documents', 'flood.txt'));
  });

  it('exits with code 0 at the end of its input, with no error printed', async () => {
    expect(await session.end()).toBe(0);
    expect(session.stderr).not.toMatch(STACK_FRAME);
    expect(session.stderr).not.toMatch(/a command failed/);
  });
});

describe('console, /quit', { timeout: PROCESS_TIMEOUT }, () => {
  it('stops reading at /quit and exits with code 0', async () => {
    const result = await oneShot.quit;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Try:');
    expect(result.stdout).not.toContain('bannu-siege#p2');
  }, PROCESS_TIMEOUT);

  it('names an article saved outside documents/ in its start banner', async () => {
    const result = await oneShot.quit;
    expect(result.stdout).toMatch(
      /^incident-desk console: 1 document\(s\), 20 passages from .*\nAnswers match your question .*\nwarning: new-article\.txt is outside documents\/ and was not loaded\nType a question/,
    );
  }, PROCESS_TIMEOUT);
});

describe('console writing to a reader that stops early', { timeout: PROCESS_TIMEOUT }, () => {
  it('exits 0 without a stack trace when its output pipe closes (as with "| head -1")', async () => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/console/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmpdir(), DATA_DIR: scratchDir('data'), CACHE_DIR: scratchDir('cache') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => {
      child.stdout.destroy();
      child.stdin.end('How many hostage-takers were killed?\n'.repeat(200));
    });
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toMatch(STACK_FRAME);
  }, PROCESS_TIMEOUT);
});

describe('console /more', { timeout: PROCESS_TIMEOUT }, () => {
  it('shows the next quotes of the last answer, as the "More quotes" button does, until there are none', async () => {
    const result = await oneShot.more;
    expect(result.code).toBe(0);
    const replies = result.stdout.split(/^Type a question.*\n/m)[1]!;
    // Quotes, followed by their citation (not the passage /source shows).
    const quoted = [...replies.matchAll(/^ {2}> Rescue teams evacuated \d+ families from the village of (\w+).*\n {2}— /gm)].map((match) => match[1]);
    // Three, then three more, then the last: each once, whichever order they rank in.
    expect(quoted.slice().sort()).toEqual(VILLAGES);
    expect([...replies.matchAll(/^confidence \d\.\d\d(.*)$/gm)].map((match) => match[1])).toEqual([' · 4 more quote(s): /more', ' · 1 more quote(s): /more', '']);
    expect(replies.startsWith('Ask a question first: /more then shows its next quotes.\n')).toBe(true);
    // /source in between does not lose the place.
    expect(replies).toContain('flood-report#p1: passage 1 of 7');
    expect(replies.trimEnd().endsWith('There are no more quotes for the last question.')).toBe(true);
  });
});

describe('console with EMBEDDINGS=off', { timeout: PROCESS_TIMEOUT }, () => {
  it('says in its banner and in /help that it answers by words only, and still answers', async () => {
    const result = await oneShot.modelOff;
    expect(result.code).toBe(0);
    const banner = result.stdout.split('\n').slice(0, 3).join('\n');
    const off = 'Answers match your question by its words only: the sentence model is turned off (EMBEDDINGS=off).';
    expect(banner).toContain(off);
    expect(result.stdout.split(off)).toHaveLength(3);
    expect(result.stdout).toContain('killing all 33 hostage-takers');
  });
});

describe('console --json', { timeout: PROCESS_TIMEOUT }, () => {
  const questions = JSON_QUESTIONS;
  let lines: Record<string, unknown>[];
  let stdout: string;
  let article: string;

  beforeAll(async () => {
    article = await readFile(BUNDLED_DOCUMENT, 'utf8');
    const result = await oneShot.json;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    stdout = result.stdout;
    lines = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  }, PROCESS_TIMEOUT);

  it('writes one JSON object per input line, in order, and nothing else', () => {
    expect(stdout.endsWith('\n')).toBe(true);
    expect(lines.map((line) => line.question)).toEqual(questions);
  });

  it('gives every line the documented fields with their types', () => {
    for (const line of lines) {
      expect(typeof line.question).toBe('string');
      expect(typeof line.answered).toBe('boolean');
      expect(Array.isArray(line.quotes)).toBe(true);
      expect(typeof line.confidence).toBe('number');
      expect(line.confidence).toBeGreaterThanOrEqual(0);
      expect(line.confidence).toBeLessThanOrEqual(1);
      // The console waits for the sentence model, so every answer uses it.
      if (line.notice === undefined) expect(line.mode).toBe('fused');
      for (const quote of line.quotes as Record<string, unknown>[]) {
        expect(typeof quote.text).toBe('string');
        expect(quote.cite).toMatch(/^bannu-siege#p\d+$/);
        expect(quote.source).toBe('BBC');
      }
    }
  });

  it('answers with quotes that are verbatim text of the document file, best first', () => {
    const [killed] = lines;
    expect(killed).toMatchObject({ answered: true });
    const quotes = killed!.quotes as { text: string; cite: string }[];
    expect(quotes[0]).toMatchObject({ cite: 'bannu-siege#p2' });
    expect(quotes[0]!.text).toContain('killing all 33 hostage-takers');
    for (const line of lines) for (const quote of line.quotes as { text: string }[]) expect(article).toContain(quote.text);
    expect(lines[7]).toMatchObject({ answered: true });
    expect((lines[7]!.quotes as { text: string }[])[0]?.text).toContain('12:30 local time (07:30 GMT)');
  });

  it('abstains with answered false and no quotes on an off-topic, empty or too-long line', () => {
    for (const index of [1, 2, 3]) {
      expect(lines[index]).toMatchObject({ answered: false, quotes: [] });
      expect(lines[index]!.confidence).toBeLessThan(0.5);
    }
    expect(lines[3]!.notice).toMatch(/at most 300 characters/);
  });

  it('says why in "abstention" whenever a line is not answered, and gives no mode for a question refused before any search', () => {
    for (const line of lines.filter((candidate) => candidate.answered === false)) expect(typeof line.abstention).toBe('string');
    expect(lines[2]).toMatchObject({ abstention: 'empty-question', notice: expect.stringMatching(/^question: Please type a question/) });
    expect(lines[3]).toMatchObject({ abstention: 'too-long' });
    for (const index of [2, 3]) expect(lines[index]!.mode).toBeUndefined();
    expect(lines[1]).toMatchObject({ abstention: 'low-confidence', mode: 'fused' });
  });

  it('answers a question wrapped in emoji and markdown', () => {
    expect(lines[4]).toMatchObject({ answered: true });
    expect((lines[4]!.quotes as { cite: string }[]).map((quote) => quote.cite)).toContain('bannu-siege#p3');
  });
});

describe('console on a Markdown article and a hard-wrapped one', { timeout: PROCESS_TIMEOUT }, () => {
  const wrapped = 'The dam engineers reported that the spillway had cracked overnight, and that repairs would take a week.';

  it('cites the Markdown section, quotes its words without marks, and quotes a wrapped sentence on one line', async () => {
    const { code, stdout } = await oneShot.formats;
    expect(code).toBe(0);
    expect(stdout).toContain('  > Rescue teams evacuated 120 families from the lower villages.\n  — "Floods in the valley" (Wire), section "Rescue work", floods#p1, passage 1 of 1');
    expect(stdout).toContain(`  > ${wrapped}\n  — "Dam inspection" (Wire), dam#p1, passage 1 of 1`);
  });

  it('gives the same texts in --json, with the section of a quote that has one', async () => {
    const { code, stdout } = await oneShot.formatsJson;
    expect(code).toBe(0);
    const [floods, dam] = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { quotes: Record<string, unknown>[] });
    expect(floods?.quotes[0]).toEqual({ text: 'Rescue teams evacuated 120 families from the lower villages.', cite: 'floods#p1', source: 'Wire', title: 'Floods in the valley', section: 'Rescue work' });
    expect(dam?.quotes[0]).toEqual({ text: wrapped, cite: 'dam#p1', source: 'Wire', title: 'Dam inspection' });
  });
});

describe('console start-up failures', { timeout: PROCESS_TIMEOUT }, () => {
  let brokenDocument: ConsoleResult;
  let brokenGlossaryJson: ConsoleResult;
  let badEnvironment: ConsoleResult;

  beforeAll(async () => {
    [brokenDocument, brokenGlossaryJson, badEnvironment] = await Promise.all([
      oneShot.brokenDocument,
      oneShot.brokenGlossaryJson,
      oneShot.badEnvironment,
    ]);
  }, PROCESS_TIMEOUT);

  it('exits 1 on a broken corpus, naming the file and line, with no stack trace', () => {
    expect(brokenDocument.code).toBe(1);
    expect(brokenDocument.stderr).toContain('documents/bad.txt: line 1: must start with a front matter block');
    expect(brokenDocument.stderr).not.toMatch(STACK_FRAME);
    expect(brokenDocument.stdout).toBe('');
  });

  it('exits 1 in --json mode too, writing nothing to standard output', () => {
    expect(brokenGlossaryJson.code).toBe(1);
    expect(brokenGlossaryJson.stderr).toContain('glossary.json: is not valid JSON');
    expect(brokenGlossaryJson.stderr).not.toMatch(STACK_FRAME);
    expect(brokenGlossaryJson.stdout).toBe('');
  });

  it('exits 1 on bad environment variables, listing each, never echoing the token', () => {
    expect(badEnvironment.code).toBe(1);
    expect(badEnvironment.stderr).toContain('DISCORD_TOKEN');
    expect(badEnvironment.stderr).toContain('MAX_CORPUS_FILE_BYTES');
    expect(badEnvironment.stderr).not.toContain(TOKEN);
    expect(badEnvironment.stderr).not.toMatch(STACK_FRAME);
  });
});
