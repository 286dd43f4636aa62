import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitPassages } from '../corpus/passages.js';
import type { Corpus, CorpusDocument } from '../corpus/types.js';

/** Where the shared evaluation data sits, relative to the repository: `../shared/eval`. */
export const DEFAULT_EVAL_DIR = path.resolve(import.meta.dirname, '../../../shared/eval');

export interface SquadArticle {
  readonly article: string;
  readonly paragraphs: readonly string[];
}

export interface SquadQuestion {
  readonly id: string;
  readonly article_index: number;
  readonly question: string;
  readonly gold_paragraph_index: number;
  /** The crowd's answers, each verbatim in the gold paragraph (none for an unanswerable question). */
  readonly answers: readonly string[];
  readonly is_impossible: boolean;
}

export interface SquadSet {
  readonly articles: readonly SquadArticle[];
  readonly questions: readonly SquadQuestion[];
}

/** Reads one SQuAD folder converted per article (`squad-v1.1-dev` or `squad-v2.0-dev`). */
export async function readSquad(folder: string): Promise<SquadSet> {
  return parseSquad(await readFile(path.join(folder, 'articles.json'), 'utf8'), await readFile(path.join(folder, 'questions.jsonl'), 'utf8'));
}

/** One SQuAD folder's two files, read already. */
export function parseSquad(articlesJson: string, questionsJsonl: string): SquadSet {
  const articles = JSON.parse(articlesJson) as SquadArticle[];
  const questions = questionsJsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SquadQuestion);
  return { articles, questions };
}

/** A document id for a SQuAD article title, in the corpus's id format. */
export function squadDocumentId(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'article';
}

/** One SQuAD article as a corpus document whose passages are its paragraphs, in order. */
export function squadDocument(article: SquadArticle, idSuffix = ''): CorpusDocument {
  const id = `${squadDocumentId(article.article)}${idSuffix}`;
  const passages = splitPassages(id, article.paragraphs.map((paragraph) => paragraph.replace(/\n\s*\n/g, '\n')).join('\n\n'));
  return { meta: { id, title: article.article.replace(/_/g, ' '), source: 'Wikipedia (SQuAD)' }, file: `${id}.txt`, passages };
}

/** A corpus made of SQuAD articles, held in memory: for evaluation and benchmarks, not served. */
export function squadCorpus(articles: readonly SquadArticle[]): Corpus {
  return { directory: '(squad)', documents: articles.map((article) => squadDocument(article)), glossary: { entries: [] }, examples: [], warnings: [] };
}
