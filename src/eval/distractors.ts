import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSquad, squadDocumentId } from './squad.js';

/**
 * A copy of the corpus folder with every SQuAD v1.1 dev article added as a document, as a moderator would add
 * unrelated articles: answers must stay right when the corpus grows.
 */
export async function withDistractors(corpusDir: string, squadFolder: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'incident-desk-distractors-'));
  await cp(corpusDir, directory, { recursive: true });
  const { articles } = await readSquad(squadFolder);
  for (const article of articles) {
    const id = `wiki-${squadDocumentId(article.article)}`.slice(0, 60).replace(/-$/, '');
    const body = article.paragraphs.map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ')).join('\n\n');
    await writeFile(path.join(directory, 'documents', `${id}.txt`), `---\nid: ${id}\ntitle: ${article.article.replace(/_/g, ' ')}\nsource: Wikipedia\n---\n${body}\n`);
  }
  return directory;
}

