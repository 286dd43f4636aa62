import { countOf, describeSetting, NOT_IN_THE_ARTICLES, SMALL_TALK_REPLY } from '../commands/replies.js';
import { describeMode } from '../semantic/semantic-search.js';
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { InteractionEditReplyOptions, InteractionReplyOptions } from 'discord.js';
import { QUOTES_PER_PAGE } from '../answer/engine.js';
import type { Answer, Citation, PassageView, Quote } from '../answer/types.js';
import type { FollowUp, NoticeTone, Reply } from '../commands/command.js';
import { describeProblem } from '../corpus/errors.js';
import type { CorpusOverview } from '../library/overview.js';
import type { ReloadOutcome } from '../library/reload-report.js';
import type { FleetReload } from '../fleet/peers.js';
import { moreQuotesId, passageButtonId, voteButtonId } from './buttons.js';
import { renderCheck } from './render-check.js';
import { renderGaps } from './render-gaps.js';
import { blockQuote, clip, escapeHighlighted, escapeInline, escapeText, fitRendered } from './markdown.js';

/** Discord's message limits, in UTF-16 units. */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  footer: 2048,
  embedTotal: 6000,
  buttonLabel: 80,
  buttonsPerRow: 5,
} as const;

/** What the bot sends for a reply, before it is shaped for `reply`, `editReply` or `followUp`. */
export interface RenderedMessage {
  readonly content?: string | undefined;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly APIActionRowComponent<APIButtonComponent>[];
  readonly ephemeral: boolean;
}

/** Written before the question in an answer's footer; the "more quotes" button reads the question back from it. */
export const QUESTION_LABEL = 'Question: ';
/** Written before a follow-up's depth and words in an answer's footer ("Follow-up 2: and when?"). */
export const FOLLOW_UP_LABEL = 'Follow-up ';

export const COLOURS = { answer: 0x2e7d32, abstention: 0x757575, passage: 0x1565c0, info: 0x1565c0, refusal: 0xef6c00, error: 0xc62828 };

/** No message the bot sends may ping anyone, whatever the corpus or a question contains. */
const NO_MENTIONS = { parse: [] as [] };

/** Turns a command's reply into a Discord message within Discord's limits. */
export function renderReply(reply: Reply): RenderedMessage {
  switch (reply.kind) {
    case 'answer':
      return renderAnswer(reply.answer, reply.private, reply.feedback, reply.followUp);
    case 'passage':
      return { embeds: [passageEmbed(reply.view)], components: [], ephemeral: reply.private };
    case 'reload':
      return { embeds: [reloadEmbed(reply.outcome, reply.fleet)], components: [], ephemeral: reply.private };
    case 'help':
      return { embeds: [helpEmbed(reply.overview, reply.recording, reply.conversation)], components: [], ephemeral: reply.private };
    case 'gaps':
      return renderGaps(reply.report, reply.private);
    case 'check':
      return renderCheck(reply.check, reply.private);
    case 'setting':
      // Channel mentions show as the channels' names and ping no one.
      return { content: describeSetting(reply.setting, reply.saved, (id) => `<#${id}>`), embeds: [], components: [], ephemeral: reply.private };
    case 'notice':
      return renderNotice(reply.text, reply.tone, reply.private);
  }
}

/** A short message in plain text, escaped: notices can echo what the user typed. */
export function renderNotice(text: string, tone: NoticeTone, ephemeral: boolean): RenderedMessage {
  const prefix = tone === 'error' ? '⚠️ ' : tone === 'refusal' ? '⛔ ' : '';
  const { text: content } = fitRendered(text, LIMITS.content - prefix.length, escapeText);
  return { content: prefix + content, embeds: [], components: [], ephemeral };
}

/** Options for `interaction.reply` / `followUp`. */
export function toReplyOptions(message: RenderedMessage): InteractionReplyOptions {
  return { ...messageBody(message), ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/**
 * The body of `POST /channels/{id}/messages` answering a mention or a DM as a reply to `replyTo`: no mention parsed,
 * the asker not pinged either (the reply shows under their message), and sent even if their message was deleted
 * meanwhile. Messages cannot be ephemeral.
 */
export function toMessageReplyBody(message: RenderedMessage, replyTo: string): RESTPostAPIChannelMessageJSONBody {
  return {
    content: message.content ?? '',
    embeds: [...message.embeds],
    components: [...message.components],
    allowed_mentions: { parse: [], replied_user: false },
    message_reference: { message_id: replyTo, fail_if_not_exists: false },
  };
}

/** Options for `interaction.editReply` after a deferral: visibility was fixed when deferring. */
export function toEditOptions(message: RenderedMessage): InteractionEditReplyOptions {
  return messageBody(message);
}

/** What every reply and edit carries, mentions always off. */
function messageBody(message: RenderedMessage) {
  return {
    content: message.content ?? '',
    embeds: [...message.embeds],
    components: [...message.components],
    allowedMentions: NO_MENTIONS,
  };
}

// ---------------------------------------------------------------- answers

function renderAnswer(answer: Answer, ephemeral: boolean, feedback: number | undefined, followUp: FollowUp | undefined): RenderedMessage {
  const footer = answerFooter(answer, followUp);
  if (!answer.answered) {
    const intro = answer.abstention === 'small-talk' ? SMALL_TALK_REPLY : NOT_IN_THE_ARTICLES;
    const closest = answer.closest;
    const description = closest
      ? `${intro}\n\n**Closest passage (not an answer):**\n${fitQuotes([closest], budget('Not in the articles', footer) - intro.length - 40)}`
      : intro;
    return {
      embeds: [{ title: 'Not in the articles', description, color: COLOURS.abstention, footer: { text: footer } }],
      components: buttonRows(closest ? [passageButton(closest.citation, 'Closest passage')] : []),
      ephemeral,
    };
  }
  if (answer.quotes.length === 0) {
    return renderNotice('There are no more quotes for this question.', 'info', ephemeral);
  }
  const title = 'From the articles';
  const shown = answer.offset + answer.quotes.length;
  // One row: a "whole passage" button for up to four of the quotes' passages, then "more quotes".
  const buttons = uniqueCitations(answer.quotes)
    .slice(0, LIMITS.buttonsPerRow - 1)
    .map((citation) => passageButton(citation, `Whole passage ${citation.passageId}`));
  if (shown < answer.totalQuotes) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Primary,
      label: `More quotes (${answer.totalQuotes - shown})`,
      custom_id: moreQuotesId(Math.floor(answer.offset / QUOTES_PER_PAGE) + 1),
    });
  }
  return {
    embeds: [{ title, description: fitQuotes(answer.quotes, budget(title, footer)), color: COLOURS.answer, footer: { text: footer } }],
    components: [...buttonRows(buttons), ...(feedback === undefined ? [] : buttonRows(feedbackButtons(feedback)))],
    ephemeral,
  };
}

/** "Answered my question" and "Wrong quote", for a recorded answer. */
function feedbackButtons(answerId: number): APIButtonComponent[] {
  return [
    { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Answered my question', custom_id: voteButtonId('helpful', answerId) },
    { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Wrong quote', custom_id: voteButtonId('wrong', answerId) },
  ];
}

/**
 * `Quotes 1–3 of 7 · confidence 0.83 · Question: …` (`Quote 4 of 4` for one), with `Follow-up 2: and when? · ` before
 * the question when it was read in the light of an earlier answer: plain text (footers show no markdown), kept whole.
 * A follow-up to this answer reads the question and its depth back from here (`answer-message.ts`).
 */
function answerFooter(answer: Answer, followUp: FollowUp | undefined): string {
  const first = answer.offset + 1;
  const last = answer.offset + answer.quotes.length;
  const shown = first === last ? `Quote ${first}` : `Quotes ${first}–${last}`;
  const facts = answer.answered ? `${shown} of ${answer.totalQuotes} · confidence ${answer.confidence.toFixed(2)}` : 'No answer';
  const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();
  const asked = followUp ? `${FOLLOW_UP_LABEL}${followUp.depth}: ${flat(followUp.asked)} · ` : '';
  return clip(`${facts} · ${asked}${QUESTION_LABEL}${flat(answer.question)}`, LIMITS.footer);
}

/** Room left for a description once the title and footer are counted against the 6,000 total. */
function budget(title: string, footer: string): number {
  return Math.min(LIMITS.description, LIMITS.embedTotal - title.length - footer.length);
}

/**
 * Quotes as block quotes with matched words in bold, each followed by its citation, within `max` characters.
 * Every quote gets an equal share of the room; a quote too long for its share is cut at a word and marked `…`.
 */
export function fitQuotes(quotes: readonly Quote[], max: number): string {
  const citations = quotes.map((quote) => `— ${citationLine(quote.citation)}`);
  const separators = (quotes.length - 1) * 2;
  const room = max - separators - citations.reduce((sum, line) => sum + line.length + 1, 0);
  const share = Math.floor(room / Math.max(1, quotes.length));
  return quotes
    .map((quote, index) => {
      const { text } = fitRendered(quote.text, share, (prefix) => {
        // A cut prefix ends with the added `…`: only highlights wholly before it still apply.
        const kept = prefix === quote.text ? prefix.length : prefix.length - 1;
        return blockQuote(escapeHighlighted(prefix, quote.highlights.filter((highlight) => highlight.end <= kept)));
      });
      return `${text}\n${citations[index]}`;
    })
    .join('\n\n');
}

/** *Title* (Source), section *Casualties*, `id`, passage 5 of 20, [article](url). */
function citationLine(citation: Citation): string {
  const section = citation.section === undefined ? '' : `section *${escapeInline(citation.section)}*, `;
  const where = `${section}\`${citation.passageId}\`, passage ${citation.position} of ${citation.passageCount}`;
  const link = citation.url ? `, ${maskedLink('article', citation.url)}` : '';
  return `*${escapeInline(citation.documentTitle)}* (${escapeInline(citation.source)}), ${where}${link}`;
}

/** A masked link whose URL cannot end the markdown early: parentheses and spaces percent-encoded. */
function maskedLink(label: string, url: string): string {
  const safe = new URL(url).href.replaceAll('(', '%28').replaceAll(')', '%29').replaceAll(' ', '%20');
  return `[${label}](${safe})`;
}

function uniqueCitations(quotes: readonly Quote[]): Citation[] {
  const seen = new Map<string, Citation>();
  for (const quote of quotes) if (!seen.has(quote.citation.passageId)) seen.set(quote.citation.passageId, quote.citation);
  return [...seen.values()];
}

function passageButton(citation: Citation, label: string): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: clip(label, LIMITS.buttonLabel),
    custom_id: passageButtonId(citation.passageId),
  };
}

/** The buttons as one action row (callers keep to Discord's five per row), or none. */
export function buttonRows(buttons: readonly APIButtonComponent[]): APIActionRowComponent<APIButtonComponent>[] {
  return buttons.length === 0 ? [] : [{ type: ComponentType.ActionRow, components: [...buttons] }];
}

// ---------------------------------------------------------------- passages

function passageEmbed(view: PassageView): APIEmbed {
  const { passage, document, passageCount, previousId, nextId } = view;
  const title = clip(escapeInline(document.title), LIMITS.title);
  const neighbours = [previousId && `previous ${previousId}`, nextId && `next ${nextId}`].filter(Boolean).join(' · ');
  const footer = clip(
    `${passage.id} · ${passage.kind === 'caption' ? 'photo caption' : 'passage'} ${passage.position} of ${passageCount}${passage.section === undefined ? '' : ` · section ${passage.section.replace(/\s+/g, ' ')}`} · ${document.source}${neighbours ? ` · ${neighbours}` : ''}`,
    LIMITS.footer,
  );
  const credit = passage.credit ? `\n*Caption credit: ${escapeInline(passage.credit)}*` : '';
  const room = budget(title, footer) - credit.length - 80;
  const fitted = fitRendered(passage.text, room, (prefix) => blockQuote(escapeText(prefix)));
  const left = passage.text.length - fitted.kept;
  const more = left > 0 ? `\n*${left} more characters not shown${document.url ? ': read the rest in the article' : ''}.*` : '';
  return {
    title,
    ...(document.url ? { url: document.url } : {}),
    description: fitted.text + credit + more,
    color: COLOURS.passage,
    footer: { text: footer },
  };
}

// ---------------------------------------------------------------- reload and help

function reloadEmbed(outcome: ReloadOutcome, fleet: FleetReload | undefined): APIEmbed {
  const joined = outcome.joined ? 'A reload was already running; this is its result.\n' : '';
  if (!outcome.ok) {
    const title = 'Reload refused: the previous corpus is still being served';
    const problems = outcome.problems.map((problem) => `- ${escapeInline(describeProblem(problem))}`);
    return { title, description: joined + fitLines(problems, LIMITS.description - joined.length - 40), color: COLOURS.error };
  }
  const { report } = outcome;
  const changes = (label: string, ids: readonly string[]): string[] =>
    ids.length === 0 ? [] : [`**${label}** (${ids.length}): ${ids.map((id) => `\`${id}\``).join(', ')}`];
  const lines = [
    ...changes('Documents added', report.documents.added),
    ...changes('Documents removed', report.documents.removed),
    ...changes('Documents changed', report.documents.changed),
    ...changes('Passages added', report.passages.added),
    ...changes('Passages removed', report.passages.removed),
    ...changes('Passages changed', report.passages.changed),
    ...(report.glossaryChanged ? ['**Glossary** changed'] : []),
    ...report.warnings.map((warning) => `**Warning:** ${escapeInline(warning)}`),
  ];
  const summary = `${joined}Now serving ${report.documentCount} document(s), ${countOf(report.passageCount, 'passage')} (loaded in ${Math.round(report.milliseconds)} ms).`;
  const others = fleet ? fleetLines(fleet) : { lines: [], everywhere: true };
  const elsewhere = others.lines.length > 0 ? `\n\n${fitLines(others.lines, LIMITS.description / 2)}` : '';
  return {
    title: others.everywhere ? 'Corpus reloaded' : 'Corpus reloaded here, but not in every process',
    description: `${summary}\n${lines.length === 0 ? 'Nothing changed.' : fitLines(lines.map((line) => clip(line, 1000)), LIMITS.description - summary.length - elsewhere.length - 40)}${elsewhere}`,
    color: others.everywhere ? COLOURS.answer : COLOURS.refusal,
  };
}

/** What the other processes did with the reload: all in one line when they all serve it, else each one that did not. */
function fleetLines({ version, peers }: FleetReload): { lines: string[]; everywhere: boolean } {
  const refused = peers.filter((peer) => !peer.ok);
  if (refused.length === 0) return { lines: [`**Every process** (${peers.length + 1} of ${peers.length + 1}) now serves corpus version \`${version}\`.`], everywhere: true };
  return {
    lines: [
      `**${refused.length} of ${peers.length + 1} processes do not serve** corpus version \`${version}\`:`,
      ...refused.map((peer) => clip(`- ${escapeInline(peer.process)}: ${escapeInline(peer.problem ?? 'did not take the reload')}`, 1000)),
    ],
    everywhere: false,
  };
}

function helpEmbed(overview: CorpusOverview, recording: string | undefined, conversation: boolean | undefined): APIEmbed {
  const intro = `I answer questions about the December 2022 siege of a counter-terrorism police station in Bannu, Pakistan, only with quotes from these articles (${countOf(overview.passageCount, 'passage')}):`;
  const documents = overview.documents.map(
    (d) => `- ${d.url ? maskedLink(escapeInline(d.title), d.url) : escapeInline(d.title)} (${escapeInline(d.source)}), ${countOf(d.passageCount, 'passage')}`,
  );
  const examples = overview.examples.map((example) => `- ${escapeInline(example)}`);
  const commands =
    '**Commands:** `/ask question: …` (add `private: True` to see the answer alone), `/source passage: bannu-siege#p5`, `/reload`, `/gaps` and `/conversation` (moderators), `/help`; on any message, Apps > *Check against the articles*.\n' +
    (conversation
      ? '**In the conversation:** mention me with a question (`@incident-desk who seized the police station?`), reply to my answer to follow up (`and when?`), or DM me.'
      : '**In the conversation:** not here: this bot answers through HTTP interactions, which cannot read messages, so @mentions, replies and DMs go unanswered; use `/ask`.') +
    (recording === undefined ? '' : `\n**Question recording:** ${escapeText(recording)}`);
  const room = LIMITS.description - intro.length - commands.length - 160;
  const list = fitLines(documents, Math.floor(room * (examples.length > 0 ? 0.6 : 1)));
  const tries = examples.length > 0 ? `\n\n**Try:**\n${fitLines(examples, room - list.length)}` : '';
  const mode = describeMode(overview.answering.mode, overview.answering.model);
  return {
    title: 'Incident desk: the Bannu siege, from the articles',
    description: `${intro}\n${list}${tries}\n\n${commands}\n${mode}`,
    color: COLOURS.info,
    // Moderators compare it across shards and replicas: every process should name the same version.
    ...(overview.version ? { footer: { text: `Corpus version ${overview.version}` } } : {}),
  };
}

/** Joins whole lines while they fit in `max`, keeping room to say how many were left out. */
export function fitLines(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const last = index === lines.length - 1;
    const reserve = last ? 0 : `\n… and ${lines.length} more`.length;
    if (used + line.length + reserve > max) {
      kept.push(`… and ${lines.length - index} more`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}
