import { fitMode, type FitOptions } from './fit.js';
import { aucText, tableFigures, type TableFigures } from './table-figures.js';
import type { TrainingTable } from './table.js';

/** A group of features measured together, and the hand-set rule of the engine before the model that it stands for. */
export interface Ablation {
  readonly features: readonly string[];
  readonly rule: string;
}

/**
 * The signals whose worth docs/learning.md reports: each is held at one value in turn and the fused mode refitted.
 * Names are the ranker's and the confidence's features (`src/answer/features.ts`); a name both have leaves out both.
 */
export const ABLATIONS: readonly Ablation[] = [
  { features: ['bm25'], rule: 'passage score + 0.2 × normalised BM25' },
  { features: ['lead', 'sentencePosition'], rule: 'passage score + up to 0.05 for standing early in its document' },
  { features: ['caption'], rule: 'passage score × 0.9 for a photo caption' },
  { features: ['cueAnswered', 'cueUnanswered'], rule: 'score × 0.9 when a "how many"/"when" quote lacks its number or time' },
  { features: ['focusMissing'], rule: 'confidence × 0.6 when a quote lacks what "how many X"/"which X" names' },
  { features: ['phrase'], rule: 'phrase bonus 0.5 (question words in order)' },
  { features: ['previousShare', 'nextShare'], rule: 'context credit 0.6 for a passage referring back' },
  { features: ['twoSentences', 'words'], rule: 'two-sentence quotes chosen by coverage' },
  { features: ['passageShare'], rule: '0.3 × the whole passage’s coverage (removed before the model)' },
  { features: ['similarityWhereWordsFail'], rule: '2 × gate × cosine, the gate being the share the words leave' },
  { features: ['similarity', 'passageSimilarity', 'similarityGap', 'passageSimilarityGap', 'similarityWhereWordsFail', 'bestSimilarity'], rule: 'the sentence model altogether (0.2 × closeness in the confidence)' },
  { features: ['shareGap', 'passageShareGap', 'documentShareGap'], rule: '(new) margins over the best candidate, passage and document' },
  { features: ['margin', 'scoreGap', 'probability'], rule: '(new) the confidence’s margin over the next quote' },
  { features: ['absentShare', 'heaviestMissing'], rule: '(new) question words the corpus never uses, the heaviest word missing' },
  { features: ['softShare'], rule: '(new) soft word matches through word vectors' },
];

/** The fused mode's validation figures with nothing left out, then with each ablation. */
export async function runAblations(table: TrainingTable, options: FitOptions, log: (line: string) => void): Promise<void> {
  const row = (label: string, figures: readonly TableFigures[]): string =>
    `| ${label} | ${figures.map((f) => `${pct(f.rankedFirst, f.answerable)} / ${pct(f.answeredRight, f.answerable)} / ${pct(f.abstained, f.unanswerable)} / ${aucText(f.auc)}`).join(' | ')} |`;
  const base = tableFigures(table, 'fused', await fitMode(table, 'fused', options));
  log(`| left out (the rule it stands for) | ${base.map((f) => `${f.source} validation: ranked first / answered right / abstains / AUC`).join(' | ')} |`);
  log(`|---|${base.map(() => '---').join('|')}|`);
  log(row('nothing', base));
  for (const ablation of ABLATIONS) {
    const fitted = await fitMode(table, 'fused', { ...options, leftOut: ablation.features });
    log(row(`${ablation.features.join(', ')} (${ablation.rule})`, tableFigures(table, 'fused', fitted)));
  }
}

const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}`);
