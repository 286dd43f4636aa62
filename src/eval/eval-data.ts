import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The evaluation data: the development questions and SQuAD, in a folder outside this repository
 * (`../shared/eval` by default, as SQuAD is CC BY-SA), and the question sets this repository holds itself, which
 * `npm run eval` and `npm run bench` use in its place when it is absent.
 */
export interface EvalData {
  readonly directory: string;
  /** `questions.jsonl`, the development questions, when present. */
  readonly devQuestions?: string | undefined;
  /** `squad-v1.1-dev` and `squad-v2.0-dev`, each when present. */
  readonly squadV1?: string | undefined;
  readonly squadV2?: string | undefined;
}

/** The question sets in this repository (`src/eval/*-questions.jsonl`, the format of the development questions). */
export const IN_REPO_QUESTION_SETS: readonly string[] = ['our-questions.jsonl', 'probe-questions.jsonl', 'chat-questions.jsonl'].map((file) =>
  path.join(import.meta.dirname, file),
);

/** What of the evaluation data `directory` holds. */
export function findEvalData(directory: string): EvalData {
  const present = (name: string): string | undefined => {
    const full = path.join(directory, name);
    return existsSync(full) ? full : undefined;
  };
  return { directory, devQuestions: present('questions.jsonl'), squadV1: present('squad-v1.1-dev'), squadV2: present('squad-v2.0-dev') };
}

/** One line for a program's standard error: what is missing from the data folder, and how to point at another. */
export function describeMissing(program: string, data: EvalData, missing: readonly string[], instead: string): string {
  return `${program}: no ${missing.join(' or ')} in ${data.directory} (the evaluation data is not in this repository; pass --data DIR): ${instead}`;
}
