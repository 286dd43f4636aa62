import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * A question with the evidence its first quote must hold (any one of `expect`), or `expect: null` when the corpus
 * does not answer it and the right answer is to abstain. `article` names the SQuAD article a chat question was
 * written over.
 */
export interface EvalQuestion {
  readonly q: string;
  readonly expect: readonly string[] | null;
  readonly article?: string | undefined;
}

/** Reads a question file: one JSON object a line; the line number is named when one is malformed. */
export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  return parseQuestions(await readFile(file, 'utf8'), file);
}

/** A question file's text, read already; `file` names it in errors. */
export function parseQuestions(text: string, file: string): EvalQuestion[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`eval: ${file} line ${i + 1} is not JSON`);
    }
    const { q, expect, article } = parsed as Partial<EvalQuestion>;
    if (typeof q !== 'string' || !(expect === null || (Array.isArray(expect) && expect.every((e) => typeof e === 'string')))) {
      throw new Error(`eval: ${file} line ${i + 1} needs "q" (text) and "expect" (a list of evidence, or null)`);
    }
    return [{ q, expect, article }];
  });
}

/** Which side of the split by article a SQuAD dev article is on: no article is in both. */
export type Split = 'train' | 'validation';

/**
 * The split of the SQuAD dev articles: the chat set's articles by a hash of their titles, half each; articles the
 * shared chat set has no questions on are kept back for judging elsewhere, so they are always validation.
 */
export function articleSplit(title: string, chatArticles: ReadonlySet<string>): Split {
  if (!chatArticles.has(title)) return 'validation';
  return createHash('sha256').update(`split:${title}`).digest()[0]! % 2 === 0 ? 'train' : 'validation';
}
