import { escapeMarkdown } from 'discord.js';
import type { Highlight } from '../answer/types.js';

/**
 * Escapes article text so Discord shows it as written: discord.js `escapeMarkdown` with the line-start rules it
 * leaves off by default (headings, lists, masked links), plus what it never handles: every `[` (a highlight can
 * split a masked link so the pattern no longer matches), `<` (mentions, channels, timestamps, custom emoji),
 * `>` block quotes and `-#` subtext at the start of a line.
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true })
    .replaceAll('[', '\\[')
    .replaceAll('<', '\\<')
    .replace(/^( *)(>|-#|\+ )/gm, '$1\\$2');
}

/** Escaped text on one line (titles, list items): line breaks become spaces. */
export function escapeInline(text: string): string {
  return escapeText(text.replace(/\s+/g, ' ').trim());
}

/**
 * Escaped text with the highlighted spans in bold. Each piece is escaped on its own and the `**` markers are
 * added after, so the article's own asterisks can never pair up with them. Bold stops at line breaks, where
 * Discord would otherwise show the markers.
 */
export function escapeHighlighted(text: string, highlights: readonly Highlight[]): string {
  let out = '';
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end <= start || end > text.length) continue;
    out += escapeText(text.slice(at, start));
    out += text
      .slice(start, end)
      .split('\n')
      .map((line) => bold(line))
      .join('\n');
    at = end;
  }
  return out + escapeText(text.slice(at));
}

/** `**text**`, keeping surrounding spaces outside the markers (Discord does not bold `** text**`). */
function bold(raw: string): string {
  const match = /^(\s*)(.*?)(\s*)$/s.exec(raw);
  const [, before = '', inner = '', after = ''] = match ?? [];
  return inner === '' ? raw : `${before}**${escapeText(inner)}**${after}`;
}

/** Prefixes every line with `> ` so the text shows as one block quote, blank lines included. */
export function blockQuote(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * Cuts text to at most `max` UTF-16 units (how Discord counts), adding `…`; prefers a word boundary and never
 * splits a surrogate pair. For plain text: markdown must be cut before it is escaped (see `fitRendered`).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * A prefix of `raw` (cut at a word boundary where possible, marked `…`) whose rendering fits `max`, rendered,
 * and how many raw characters it kept, so the caller can say what was left out. Rendering happens on the cut
 * raw text so escapes and bold markers stay whole. Escaping is slow on long text, so instead of searching for
 * the longest prefix, each try shrinks the prefix by how much the last rendering overshot: two or three
 * renderings, at the cost of a few percent of the room.
 */
export function fitRendered(raw: string, max: number, render: (prefix: string) => string): { text: string; kept: number } {
  // Rendering only adds characters, so no prefix longer than `max` can fit: a 5 MB passage costs no more
  // than a short one.
  let length = Math.min(raw.length, max);
  while (length > 0) {
    const kept = length === raw.length ? raw : cutAt(raw, length);
    const text = render(kept);
    if (text.length <= max) return { text, kept: kept === raw ? raw.length : kept.length - 1 };
    length = Math.min(length - 1, Math.floor(length * (max / text.length) * 0.98));
  }
  return { text: '', kept: 0 };
}

/** `raw` cut to fewer than `length` characters, backed up to the last space when one is near, plus `…`. */
function cutAt(raw: string, length: number): string {
  let cut = raw.slice(0, Math.max(0, length - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.8) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
