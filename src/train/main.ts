import 'dotenv/config';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_FILE } from '../answer/combine.js';
import { parseConfig } from '../config/env.js';
import { DEFAULT_EVAL_DIR } from '../eval/squad.js';
import { projectRoot } from '../project/root.js';
import { DEFAULT_WORD_VECTORS_FILE } from '../search/word-vectors.js';
import { SemanticSearch } from '../semantic/semantic-search.js';
import { extractTable, type ExtractionPlan } from './extract.js';
import { DEFAULT_FIT_OPTIONS, fitModel } from './fit.js';
import { DEFAULT_TABLE_FILE, modelText } from './model-text.js';
import { runAblations } from './ablate.js';
import { decodeTable, encodeTable } from './table.js';
import { aucText, tableFigures } from './table-figures.js';
import { buildWordVectors } from './word-vectors.js';

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

const USAGE = `npm run train [-- options]
  Rebuilds model/answer-model.json from the shared data: measures every training question's candidates with the
  engine (the sentence model included) into model/training-table.json.gz, then fits the ranker and the confidence.
  --fit-only      fit from the committed table, without the shared data or the sentence model
  --data DIR      the shared evaluation data (default ../shared/eval)
  --check         fit from the committed table and exit 1 if the committed model is not what it gives
  --ablate        fit from the committed table with each signal left out in turn and print the validation figures
                  (docs/learning.md); writes no model`;

const { values: args } = parseArgs({
  options: {
    'fit-only': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    ablate: { type: 'boolean', default: false },
    data: { type: 'string', default: DEFAULT_EVAL_DIR },
    help: { type: 'boolean', default: false },
  },
});

/** What the table is extracted from; the figures are discussed in docs/learning.md. */
function plan(dataDir: string, corpusDir: string): ExtractionPlan {
  const own = path.join(projectRoot(), 'src', 'eval');
  return {
    dataDir,
    corpusDir,
    ownSets: [path.join(dataDir, 'questions.jsonl'), ...['our-questions', 'probe-questions', 'chat-questions'].map((name) => path.join(own, `${name}.jsonl`))],
    squadCorpora: 2,
    articlesPerCorpus: 48,
    questionsPerArticle: 20,
    absentPerArticle: 5,
    v2PerArticle: 20,
    seed: 2022,
    log: (line) => console.error(line),
  };
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const config = parseConfig(process.env);
  const fitOnly = args['fit-only'] || args.check || args.ablate;
  let tableBytes: Buffer;
  if (fitOnly) {
    tableBytes = await readFile(DEFAULT_TABLE_FILE).catch(() => {
      throw new Error(`train: no training table at ${DEFAULT_TABLE_FILE}; run npm run train with the shared data to make it`);
    });
  } else {
    if (!existsSync(path.join(args.data, 'squad-v1.1-train', 'questions.jsonl'))) {
      throw new Error(`train: the shared data is not at ${args.data} (SQuAD v1.1 train, the chat set): pass --data DIR, or --fit-only to fit from the committed table`);
    }
    // The word vectors first: the table records which it was measured with.
    const words = await buildWordVectors();
    await writeFile(DEFAULT_WORD_VECTORS_FILE, words);
    console.error(`train: wrote ${DEFAULT_WORD_VECTORS_FILE} (${(words.length / 1e6).toFixed(1)} MB)`);
    const semantic = SemanticSearch.start({ cacheDir: config.CACHE_DIR, log: (line) => console.error(line) });
    try {
      const started = Date.now();
      const table = await extractTable(plan(path.resolve(args.data), config.CORPUS_DIR), semantic);
      tableBytes = encodeTable(table);
      await mkdir(path.dirname(DEFAULT_TABLE_FILE), { recursive: true });
      await writeFile(DEFAULT_TABLE_FILE, tableBytes);
      console.error(`train: ${table.questions.length} questions measured in ${((Date.now() - started) / 1000).toFixed(0)} s; table ${(tableBytes.length / 1e6).toFixed(2)} MB`);
    } finally {
      await semantic.close();
    }
  }
  const table = decodeTable(tableBytes, DEFAULT_TABLE_FILE);
  if (args.ablate) {
    await runAblations(table, DEFAULT_FIT_OPTIONS, console.log);
    return;
  }
  const started = Date.now();
  const model = await fitModel(table, tableBytes, DEFAULT_FIT_OPTIONS);
  const text = modelText(model);
  console.error(`train: fitted in ${((Date.now() - started) / 1000).toFixed(0)} s; thresholds: fused ${model.modes.fused.threshold}, lexical ${model.modes.lexical.threshold}`);
  for (const mode of ['fused', 'lexical'] as const) {
    for (const f of tableFigures(table, mode, model.modes[mode])) {
      console.error(
        `train: ${mode}, ${f.source} validation (${f.answerable} answerable, ${f.unanswerable} not): ranked first ${percent(f.rankedFirst, f.answerable)}, answered and right ${percent(f.answeredRight, f.answerable)}, answers ${percent(f.answered, f.answerable)}, abstains ${percent(f.abstained, f.unanswerable)}, AUC ${aucText(f.auc)}`,
      );
    }
  }
  if (args.check) {
    const committed = await readFile(DEFAULT_MODEL_FILE, 'utf8').catch(() => '');
    if (committed !== text) {
      console.error(`train: ${DEFAULT_MODEL_FILE} is not what fitting the committed table gives; run npm run train -- --fit-only and commit it`);
      process.exitCode = 1;
    } else console.error(`train: ${DEFAULT_MODEL_FILE} is what fitting the committed table gives`);
    return;
  }
  await writeFile(DEFAULT_MODEL_FILE, text);
  console.error(`train: wrote ${DEFAULT_MODEL_FILE} (${(text.length / 1024).toFixed(0)} KB)`);
}

await main();
