import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitSentences } from '../corpus/sentences.js';
import { DOCUMENTS_FOLDER } from '../corpus/load-corpus.js';
import { squadDocumentId, type SquadArticle } from '../eval/squad.js';
import { seededRandom } from '../eval/typos.js';
import { isStopWord } from '../search/analyzer.js';
import { shuffle } from './stats.js';

/** One document file to write: front matter fields and paragraphs. */
export interface DocumentSource {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly paragraphs: readonly string[];
}

/** How the generated corpus is made; printed with the results and in the README. */
export const GENERATED_RECIPE =
  'SQuAD v1.1 dev paragraphs copied until the passage count is reached (last copy cut short). Copy 0 is verbatim; ' +
  'in copy c >= 1, seeded with 2022 + c, (1) the sentences of each article are shuffled across that article\'s ' +
  'paragraphs (each paragraph keeps its sentence count) and (2) every content word (not a stop word, 3+ letters) is ' +
  'swapped through a permutation of the vocabulary within bands of 32 words of similar corpus frequency, keeping ' +
  'capitalisation, so word statistics stay realistic but no two copies share their text. Document ids get a suffix ' +
  '-c<copy>.';

const GENERATED_SEED = 2022;
const FREQUENCY_BAND = 32;

/** SQuAD paragraphs hold no blank lines, but a blank line would split a passage: folded as the evaluation does. */
function cleanParagraph(paragraph: string): string {
  return paragraph.replace(/\n\s*\n/g, '\n').trim();
}

/** The SQuAD articles as documents, one per article, one passage per paragraph. */
export function squadSources(articles: readonly SquadArticle[]): DocumentSource[] {
  return articles.map((article) => ({
    id: squadDocumentId(article.article),
    title: article.article.replace(/_/g, ' '),
    source: 'Wikipedia (SQuAD)',
    paragraphs: article.paragraphs.map(cleanParagraph),
  }));
}

/** Content words of the SQuAD text, most frequent first, in bands that a copy's permutation stays within. */
function vocabularyBands(articles: readonly SquadArticle[]): string[][] {
  const counts = new Map<string, number>();
  for (const article of articles) {
    for (const paragraph of article.paragraphs) {
      for (const [word] of paragraph.toLowerCase().matchAll(/\p{L}+/gu)) {
        if (word.length >= 3 && !isStopWord(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
  const bands: string[][] = [];
  for (let i = 0; i < ranked.length; i += FREQUENCY_BAND) bands.push(ranked.slice(i, i + FREQUENCY_BAND));
  return bands;
}

function withCaseOf(model: string, word: string): string {
  if (model.length > 1 && model === model.toUpperCase()) return word.toUpperCase();
  if (model[0] !== model[0]!.toLowerCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/** One varied copy of an article: sentences shuffled across its paragraphs, then words swapped. */
function variedParagraphs(paragraphs: readonly string[], swap: ReadonlyMap<string, string>, random: () => number): string[] {
  const sentences = paragraphs.map((paragraph) =>
    splitSentences(paragraph).map((span) => paragraph.slice(span.start, span.end).replace(/\s+/g, ' ')),
  );
  const pool = shuffle(sentences.flat(), random);
  let next = 0;
  return sentences.map((own) => {
    const text = pool.slice(next, next + own.length).join(' ');
    next += own.length;
    return text.replace(/\p{L}+/gu, (word) => {
      const swapped = swap.get(word.toLowerCase());
      return swapped === undefined ? word : withCaseOf(word, swapped);
    });
  });
}

/** The generated corpus of `passages` passages (see {@link GENERATED_RECIPE}). */
export function generatedSources(articles: readonly SquadArticle[], passages: number): DocumentSource[] {
  const bands = vocabularyBands(articles);
  const base = squadSources(articles);
  const sources: DocumentSource[] = [];
  let remaining = passages;
  for (let copy = 0; remaining > 0; copy++) {
    const random = seededRandom(GENERATED_SEED + copy);
    const swap = new Map<string, string>();
    if (copy > 0) {
      for (const band of bands) {
        const permuted = shuffle(band, random);
        band.forEach((word, i) => swap.set(word, permuted[i]!));
      }
    }
    for (const document of base) {
      if (remaining <= 0) break;
      const paragraphs = copy === 0 ? document.paragraphs : variedParagraphs(document.paragraphs, swap, random);
      const kept = paragraphs.slice(0, remaining).filter((paragraph) => paragraph !== '');
      remaining -= kept.length;
      const suffix = `-c${copy}`;
      const id = document.id.slice(0, 60 - suffix.length).replace(/-+$/, '') + suffix;
      sources.push({ ...document, id, title: `${document.title} (copy ${copy})`, paragraphs: kept });
    }
  }
  return sources;
}

/** Writes documents as a corpus folder (`documents/<id>.txt` with front matter), as a server would keep them. */
export async function writeCorpusFolder(directory: string, sources: readonly DocumentSource[]): Promise<void> {
  const documents = path.join(directory, DOCUMENTS_FOLDER);
  await mkdir(documents, { recursive: true });
  for (const source of sources) {
    const front = ['---', `id: ${source.id}`, `title: ${source.title}`, `source: ${source.source}`, '---'].join('\n');
    await writeFile(path.join(documents, `${source.id}.txt`), `${front}\n${source.paragraphs.join('\n\n')}\n`);
  }
}

/** Copies the bundled corpus folder, so reloads read a real folder that nothing else touches. */
export async function copyCorpusFolder(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true });
}

/** The development questions (`questions.jsonl`, field `q`). */
export async function readDevQuestions(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { q: string }).q);
}
