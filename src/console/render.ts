import { countOf, describeSetting, NOT_IN_THE_ARTICLES, SMALL_TALK_REPLY } from '../commands/replies.js';
import { describeMode } from '../semantic/semantic-search.js';
import type { Answer, Citation, Quote } from '../answer/types.js';
import type { Reply } from '../commands/command.js';
import { describeProblem } from '../corpus/errors.js';
import type { ReloadReport } from '../library/reload-report.js';
import { renderGapsText } from './render-gaps.js';

/** How matched words are marked: ANSI bold on a terminal, nothing when the output is piped. */
export interface TextStyle {
  readonly bold: (text: string) => string;
}

export const PLAIN: TextStyle = { bold: (text) => text };
export const ANSI: TextStyle = { bold: (text) => `\u001b[1m${text}\u001b[22m` };

/** Renders a command's reply as readable console text. */
export function renderText(reply: Reply, style: TextStyle = PLAIN): string {
  switch (reply.kind) {
    case 'answer': {
      const answer = renderAnswer(reply.answer, style);
      return reply.followUp ? `(follow-up ${reply.followUp.depth}, read as: ${reply.answer.question})\n${answer}` : answer;
    }
    case 'passage': {
      const { passage, document, passageCount, previousId, nextId } = reply.view;
      const neighbours = [previousId && `previous: ${previousId}`, nextId && `next: ${nextId}`].filter(Boolean).join(', ');
      return [
        `${passage.id}: ${passage.kind === 'caption' ? 'photo caption' : 'passage'} ${passage.position} of ${passageCount} in "${document.title}" (${document.source})${passage.section === undefined ? '' : `, section "${passage.section}"`}`,
        ...quoteLines(passage.text),
        ...(passage.credit ? [`  (caption credit: ${passage.credit})`] : []),
        ...(document.url ? [`  ${document.url}`] : []),
        ...(neighbours ? [`  ${neighbours}`] : []),
      ].join('\n');
    }
    case 'reload':
      return reply.outcome.ok
        ? renderReloadReport(reply.outcome.report, reply.outcome.joined)
        : [
            'Reload refused: the corpus has problems, so the previous corpus is still being served.',
            ...reply.outcome.problems.map((problem) => `  - ${describeProblem(problem)}`),
          ].join('\n');
    case 'help': {
      const { overview } = reply;
      return [
        `I answer questions about the December 2022 siege of a counter-terrorism police station in Bannu, Pakistan, only with quotes from these articles (${countOf(overview.passageCount, 'passage')}):`,
        ...overview.documents.map((d) => `  - ${d.title} (${d.source}), ${countOf(d.passageCount, 'passage')}, id ${d.id}${d.url ? `, ${d.url}` : ''}`),
        ...(overview.examples.length > 0 ? ['Try:', ...overview.examples.map((example) => `  ${example}`)] : []),
        describeMode(overview.answering.mode, overview.answering.model),
        'Commands: /ask question: <text> [private: true], /more, /source passage: <id>, /reload and /gaps (moderators), /help. A line without "/" is a question; a line starting with ">" follows up the last answer.',
        ...(reply.recording === undefined ? [] : [`Question recording: ${reply.recording}`]),
      ].join('\n');
    }
    case 'gaps':
      return renderGapsText(reply.report);
    case 'check':
      return reply.check.quotes.length === 0
        ? "The articles don't mention this."
        : ['The articles say:', ...reply.check.quotes.flatMap((quote) => ['', ...renderQuote(quote, style)])].join('\n');
    case 'setting':
      return describeSetting(reply.setting, reply.saved, (id) => `#${id}`);
    case 'notice':
      return reply.text;
  }
}

function renderAnswer(answer: Answer, style: TextStyle): string {
  if (!answer.answered) {
    const lines = [answer.abstention === 'small-talk' ? SMALL_TALK_REPLY : NOT_IN_THE_ARTICLES];
    if (answer.closest) {
      lines.push('', 'Closest passage (not an answer):', ...renderQuote(answer.closest, style));
    }
    return lines.join('\n');
  }
  const lines: string[] = [];
  answer.quotes.forEach((quote, i) => {
    if (i > 0) lines.push('');
    lines.push(...renderQuote(quote, style));
  });
  const shown = answer.offset + answer.quotes.length;
  lines.push('', `confidence ${answer.confidence.toFixed(2)}${shown < answer.totalQuotes ? ` · ${answer.totalQuotes - shown} more quote(s): /more` : ''}`);
  return lines.join('\n');
}

function renderQuote(quote: Quote, style: TextStyle): string[] {
  return [...quoteLines(highlight(quote, style)), `  — ${cite(quote.citation)}`];
}

function quoteLines(text: string): string[] {
  return text.split('\n').map((line) => `  > ${line}`);
}

function highlight(quote: Quote, style: TextStyle): string {
  let out = '';
  let at = 0;
  for (const { start, end } of quote.highlights) {
    out += quote.text.slice(at, start) + style.bold(quote.text.slice(start, end));
    at = end;
  }
  return out + quote.text.slice(at);
}

/** A citation as one line: document title, source, section, passage id and its place in the document. */
export function cite(citation: Citation): string {
  return `"${citation.documentTitle}" (${citation.source}), ${citation.section === undefined ? '' : `section "${citation.section}", `}${citation.passageId}, passage ${citation.position} of ${citation.passageCount}${citation.url ? `, ${citation.url}` : ''}`;
}

function renderReloadReport(report: ReloadReport, joined: boolean): string {
  const { documents, passages } = report;
  const changes = (label: string, ids: readonly string[]): string[] =>
    ids.length === 0 ? [] : [`  ${label}: ${ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ')}`];
  const unchanged =
    documents.added.length + documents.removed.length + documents.changed.length === 0 && !report.glossaryChanged;
  return [
    `${joined ? 'A reload was already running; its result: ' : ''}Reloaded ${report.documentCount} document(s), ${countOf(report.passageCount, 'passage')} in ${Math.round(report.milliseconds)} ms.${unchanged ? ' Nothing changed.' : ''}`,
    ...changes('documents added', documents.added),
    ...changes('documents removed', documents.removed),
    ...changes('documents changed', documents.changed),
    ...changes('passages added', passages.added),
    ...changes('passages removed', passages.removed),
    ...changes('passages changed', passages.changed),
    ...(report.glossaryChanged ? ['  glossary changed'] : []),
    ...report.warnings.map((warning) => `  warning: ${warning}`),
  ].join('\n');
}
