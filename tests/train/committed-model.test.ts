import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerModel, DEFAULT_MODEL_FILE, WORD_VECTORS_SOURCE } from '../../src/answer/combine.js';
import { AnswerEngine, DEFAULT_ANSWER_ENGINE_OPTIONS } from '../../src/answer/engine.js';
import { DEFAULT_CORPUS_LOAD_OPTIONS, loadCorpus } from '../../src/corpus/load-corpus.js';
import { holdsEvidence } from '../../src/eval/evidence.js';
import { readQuestions } from '../../src/eval/question-sets.js';
import { DEFAULT_EVAL_DIR } from '../../src/eval/squad.js';
import { WordVectors } from '../../src/search/word-vectors.js';
import { SemanticSearch } from '../../src/semantic/semantic-search.js';
import { DEFAULT_FIT_OPTIONS, fitModel } from '../../src/train/fit.js';
import { DEFAULT_TABLE_FILE, modelText } from '../../src/train/model-text.js';
import { decodeTable, sha256, trainingCandidates, trainingSignals, type TrainingCandidate, type TrainingTable } from '../../src/train/table.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** How far a cosine may move between embedding a span alone and in a batch (seen: up to about 1e-4). */
const COSINE_DRIFT = 0.002;
function withoutCosines(candidate: TrainingCandidate): Partial<TrainingCandidate> {
  return Object.fromEntries(Object.entries(candidate).filter(([name]) => name !== 'similarity' && name !== 'passageSimilarity'));
}
let tableBytes: Buffer;
let table: TrainingTable;
let committed: string;

beforeAll(async () => {
  tableBytes = await readFile(DEFAULT_TABLE_FILE);
  table = decodeTable(tableBytes, DEFAULT_TABLE_FILE);
  committed = await readFile(DEFAULT_MODEL_FILE, 'utf8');
});

describe('the committed answer model', () => {
  it('is what fitting the committed training table gives, byte for byte', async () => {
    expect(modelText(await fitModel(table, tableBytes, DEFAULT_FIT_OPTIONS))).toBe(committed);
  }, 600_000);

  it('names the table it was fitted on and the shared data the table was measured from', async () => {
    const model = await AnswerModel.load(DEFAULT_MODEL_FILE);
    expect(model.file).toBe(DEFAULT_MODEL_FILE);
    const trainedOn = (JSON.parse(committed) as { trainedOn: { table: string; sources: Record<string, string> } }).trainedOn;
    expect(trainedOn.table).toBe(sha256(tableBytes));
    expect(trainedOn.sources).toEqual(table.sources);
    expect(Object.keys(trainedOn.sources)).toEqual(expect.arrayContaining(['eval/squad-v1.1-train/questions.jsonl', 'eval/wiki-chat/questions.jsonl', 'model/word-vectors.bin']));
    // Where the shared data sits beside this clone, it is the data the table was measured from; the word vectors are in the repository.
    for (const [file, hash] of Object.entries(trainedOn.sources)) {
      const where = file.startsWith('eval/') ? path.join(DEFAULT_EVAL_DIR, '..', file) : path.join(ROOT, file);
      if (existsSync(where)) expect(file === WORD_VECTORS_SOURCE ? (await WordVectors.read(where)).sha256 : sha256(await readFile(where, 'utf8')), file).toBe(hash);
    }
  });
});

describe('the committed training table', () => {
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'incident-desk-table-'));
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  it("holds this repository's questions about the bundled article as the engine measures them now", async () => {
    const semantic = SemanticSearch.start({ cacheDir });
    try {
      const engine = await AnswerEngine.build(await loadCorpus(path.join(ROOT, 'corpus'), DEFAULT_CORPUS_LOAD_OPTIONS), { ...DEFAULT_ANSWER_ENGINE_OPTIONS, model: null }, semantic);
      await engine.vectorsSettled;
      expect(engine.mode.mode).toBe('fused');
      let compared = 0;
      for (const name of ['our-questions', 'probe-questions', 'chat-questions']) {
        const rows = table.questions.filter((q) => q.source === name);
        const questions = await readQuestions(path.join(ROOT, 'src', 'eval', `${name}.jsonl`));
        expect(rows.map((row) => row.question)).toEqual(questions.map((q) => q.q));
        for (const [i, q] of questions.entries()) {
          const { set } = await engine.candidates(q.q);
          const text = (passageId: string, span?: { start: number; end: number }): string => {
            const { passage } = engine.passage(passageId)!;
            return span ? passage.text.slice(span.start, span.end) : passage.text;
          };
          const holds = (t: string): boolean => q.expect !== null && holdsEvidence(t, q.expect);
          const fresh = trainingCandidates(set, (c) => holds(text(set.candidates[c]!.passageId, set.candidates[c]!.span)), (passageId) => holds(text(passageId)));
          // The sentence model embeds a span alone here and in a batch when the table was made: its cosines agree to
          // about 1e-4, not to the bit, so they are compared within COSINE_DRIFT and everything else exactly.
          expect({ signals: trainingSignals(set.question), candidates: fresh.map(withoutCosines) }, q.q).toEqual({ signals: rows[i]!.signals, candidates: rows[i]!.candidates.map(withoutCosines) });
          for (const [k, candidate] of fresh.entries()) {
            for (const name of ['similarity', 'passageSimilarity'] as const) {
              expect(Math.abs(candidate[name] - rows[i]!.candidates[k]![name]), `${q.q}: candidate ${k}'s ${name}`).toBeLessThanOrEqual(COSINE_DRIFT);
            }
          }
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(200);
    } finally {
      await semantic.close();
    }
  }, 300_000);
});
