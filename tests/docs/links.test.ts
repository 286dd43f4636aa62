import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/corpus.js';

/** The README and every page of docs/, as paths from the repository root. */
const PAGES = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));
}

describe('links in the README and docs/', () => {
  for (const page of PAGES) {
    it(`${page}: every link to a file of the repository, and to a heading in it, leads somewhere`, () => {
      const text = readFileSync(path.join(REPO_ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const [file, anchor] = target!.split('#') as [string, string | undefined];
        const linked = file === '' ? page : path.join(path.dirname(page), file);
        let anchors: Set<string>;
        try {
          anchors = anchorsIn(linked);
        } catch {
          broken.push(`${target} (no file ${linked})`);
          continue;
        }
        if (anchor !== undefined && !anchors.has(anchor)) broken.push(`${target} (no heading "${anchor}" in ${linked})`);
      }
      expect(broken).toEqual([]);
    });
  }
});
