/**
 * Whether the evaluation data (`../shared/eval`: the development questions and SQuAD) sits beside this clone.
 * It is not part of the repository (SQuAD is CC BY-SA); the tests that read it are skipped where it is absent,
 * so that a clone anywhere else still runs the rest.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_EVAL_DIR } from '../../src/eval/squad.js';

export const EVAL_DATA_PRESENT =
  existsSync(path.join(DEFAULT_EVAL_DIR, 'questions.jsonl')) && existsSync(path.join(DEFAULT_EVAL_DIR, 'squad-v1.1-dev'));
