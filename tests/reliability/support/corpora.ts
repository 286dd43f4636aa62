/**
 * Corpus folders for the reliability tests: copies of the real `./corpus` that a test then breaks, SQuAD written
 * out as document files, and large generated corpora. Every folder lives under one temporary root per test file.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_EVAL_DIR, readSquad, squadDocumentId } from '../../../src/eval/squad.js';
import { seededRandom } from '../../../src/eval/typos.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const GOOD_CORPUS = path.join(REPO_ROOT, 'corpus');
export const SQUAD_V1_DIR = path.join(DEFAULT_EVAL_DIR, 'squad-v1.1-dev');

/** A temporary folder for one test file's corpora; `dispose()` removes it. */
export class Scratch {
  private constructor(readonly root: string) {}

  static async create(prefix = 'incident-desk-reliability-'): Promise<Scratch> {
    return new Scratch(await mkdtemp(path.join(tmpdir(), prefix)));
  }

  /** A fresh folder name under the scratch root (not created). */
  private counter = 0;
  next(name: string): string {
    this.counter += 1;
    return path.join(this.root, `${String(this.counter).padStart(3, '0')}-${name}`);
  }

  /** A copy of the real corpus, to break. */
  async goodCorpus(name = 'good'): Promise<string> {
    const folder = this.next(name);
    await cp(GOOD_CORPUS, folder, { recursive: true });
    return folder;
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

export interface DocumentSpec {
  readonly id: string;
  readonly title?: string;
  readonly source?: string;
  readonly paragraphs: readonly string[];
}

/** A document file as the corpus expects it: front matter, then paragraphs separated by blank lines. */
export function documentText({ id, title = `Document ${id}`, source = 'Test', paragraphs }: DocumentSpec): string {
  return `---\nid: ${id}\ntitle: ${title}\nsource: ${source}\n---\n\n${paragraphs.join('\n\n')}\n`;
}

/** Writes a corpus folder holding exactly these documents (no glossary, no examples). */
export async function writeCorpus(folder: string, documents: readonly DocumentSpec[]): Promise<string> {
  await mkdir(path.join(folder, 'documents'), { recursive: true });
  for (const document of documents) {
    await writeFile(path.join(folder, 'documents', `${document.id}.txt`), documentText(document));
  }
  return folder;
}

/** The SQuAD v1.1 dev articles (48 articles, 2,067 paragraphs) written out as a corpus folder. */
export async function writeSquadCorpus(folder: string): Promise<{ folder: string; passages: number }> {
  const { articles } = await readSquad(SQUAD_V1_DIR);
  let passages = 0;
  await writeCorpus(
    folder,
    articles.map((article) => {
      // One paragraph per passage, as the evaluation's squadCorpus does it.
      const paragraphs = article.paragraphs.map((paragraph) => paragraph.replace(/\n\s*\n/g, '\n').trim());
      passages += paragraphs.length;
      return { id: squadDocumentId(article.article), title: article.article.replace(/_/g, ' '), source: 'Wikipedia (SQuAD)', paragraphs };
    }),
  );
  return { folder, passages };
}

/**
 * A generated corpus of `documents × passagesPerDocument` passages of two short sentences each, built from a
 * vocabulary large enough that the index has many distinct terms (as a real large corpus would).
 */
export async function writeGeneratedCorpus(
  folder: string,
  documents: number,
  passagesPerDocument: number,
  seed = 7,
): Promise<{ folder: string; passages: number }> {
  const next = seededRandom(seed);
  const syllables = ['ba', 'ne', 'ku', 'ri', 'so', 'ta', 'lo', 'mi', 'da', 'pe', 'zo', 'gu', 'ha', 'vi', 'we', 'xo'];
  const vocabulary = Array.from({ length: 5000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * syllables.length)]).join(''),
  );
  const word = (): string => vocabulary[Math.floor(next() * vocabulary.length)]!;
  const sentence = (): string => {
    const words = Array.from({ length: 6 + Math.floor(next() * 8) }, word);
    return `${words[0]!.charAt(0).toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  const specs: DocumentSpec[] = [];
  for (let d = 0; d < documents; d++) {
    specs.push({
      id: `generated-${d}`,
      paragraphs: Array.from({ length: passagesPerDocument }, () => `${sentence()} ${sentence()}`),
    });
  }
  await writeCorpus(folder, specs);
  return { folder, passages: documents * passagesPerDocument };
}

/** The text of a file of the real corpus. */
export function readGood(relative: string): Promise<string> {
  return readFile(path.join(GOOD_CORPUS, relative), 'utf8');
}
