import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { TextBlock } from './passages.js';

/**
 * CommonMark, with GitHub's tables and strikethrough. No typographer (it would change the article's quotes and
 * dashes) and no linkify (a bare URL stays the text it is); HTML is recognised so that its tags can be left out.
 */
const parser = new MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);

/** Blocks whose lines are units of their own: a list's items, a table's rows. */
const LINED_OPEN: ReadonlySet<string> = new Set(['bullet_list_open', 'ordered_list_open', 'table_open']);
const LINED_CLOSE: ReadonlySet<string> = new Set(['bullet_list_close', 'ordered_list_close', 'table_close']);

/** A line break written in HTML inside a paragraph. */
const HTML_BREAK = /^<br\s*\/?>$/i;

/**
 * A Markdown body's blocks, in order: each paragraph (in a block quote too) and each code block, and each list and
 * each table whole, one item or row a line (a row's cells separated by a tab). A heading is not quoted: it is the
 * section of the blocks after it, until the next heading. Formatting marks (emphasis, link targets, code ticks,
 * list bullets, table pipes) are left out and every word is kept, in order; images (their alternative text
 * describes a picture, it is not the article's) and HTML tags and blocks are left out.
 */
export function* markdownBlocks(body: string): Generator<TextBlock, void> {
  const tokens = parser.parse(body, {});
  let section: string | undefined;
  /** The lines of the list or table being read, and how deeply lists and tables are nested in it. */
  let lines: string[] | undefined;
  let depth = 0;
  let row: string[] | undefined;
  for (const [index, token] of tokens.entries()) {
    if (LINED_OPEN.has(token.type)) {
      if (depth++ === 0) lines = [];
    } else if (LINED_CLOSE.has(token.type)) {
      if (--depth === 0 && lines) {
        const text = lines.filter((line) => line !== '').join('\n');
        lines = undefined;
        if (text !== '') yield { text, shape: 'lines', section };
      }
    } else if (token.type === 'tr_open') {
      row = [];
    } else if (token.type === 'tr_close' && row) {
      lines?.push(row.filter((cell) => cell !== '').join('\t'));
      row = undefined;
    } else if (token.type === 'inline') {
      const text = inlineText(token);
      const heading = tokens[index - 1]?.type === 'heading_open';
      if (row) row.push(text.replace(/\n/g, ' '));
      else if (lines) lines.push(text);
      else if (heading) section = text.replace(/\n/g, ' ') || undefined;
      else if (text !== '') yield { text, shape: 'paragraph', section };
    } else if (token.type === 'fence' || token.type === 'code_block') {
      // Preformatted: its line breaks are the article's.
      const text = token.content.replace(/\s+$/, '');
      if (lines) lines.push(...text.split('\n'));
      else if (text.trim() !== '') yield { text, shape: 'paragraph', section };
    }
  }
}

/** The words of an inline run without their marks: a soft line break is a space, a hard one a line break. */
function inlineText(token: Token): string {
  let text = '';
  for (const child of token.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak') text += ' ';
    else if (child.type === 'hardbreak' || (child.type === 'html_inline' && HTML_BREAK.test(child.content))) text += '\n';
  }
  // What was left out (an image, a tag) may leave two spaces where the article has one.
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
