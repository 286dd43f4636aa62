import type { AnswerEngine } from '../answer/engine.js';
import type { Choice } from './command.js';

/** Discord's limits on autocomplete: at most 25 choices, names and values of 1 to 100 characters. */
export const MAX_CHOICES = 25;
export const MAX_CHOICE_LENGTH = 100;

/** Shortens text to `max` UTF-16 units (Discord counts those), on a word boundary where it can, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * Autocomplete for `/ask`: while the question is being typed, previews the passages that would answer it.
 * Choosing one keeps the question as typed. With nothing typed yet, offers the corpus's example questions.
 */
export function previewChoices(engine: AnswerEngine, typed: string): Choice[] {
  const question = truncate(typed, MAX_CHOICE_LENGTH);
  if (question === '') return exampleChoices(engine);
  const answer = engine.answerLexically(question, { limit: MAX_CHOICES - 1 });
  const quotes = answer.answered ? answer.quotes : answer.closest ? [answer.closest] : [];
  const previews = quotes.map((quote) => ({
    name: truncate(`${answer.answered ? '' : 'Not an answer: '}${quote.citation.passageId} · ${quote.text}`, MAX_CHOICE_LENGTH),
    value: question,
  }));
  return previews.length > 0 ? previews : [{ name: truncate(`Ask: ${question}`, MAX_CHOICE_LENGTH), value: question }];
}

function exampleChoices(engine: AnswerEngine): Choice[] {
  const examples = engine.corpus.examples.slice(0, MAX_CHOICES).map((example) => {
    const text = truncate(example, MAX_CHOICE_LENGTH);
    return { name: text, value: text };
  });
  return examples.length > 0 ? examples : [{ name: 'Type a question about the incident', value: 'What happened?' }];
}

/** Autocomplete for `/source`: passage ids whose id or text contains what was typed, with their first words. */
export function passageChoices(engine: AnswerEngine, typed: string): Choice[] {
  const needle = typed.trim().toLowerCase();
  const matches = engine
    .passages()
    .filter(({ passage }) => needle === '' || passage.id.includes(needle) || passage.text.toLowerCase().includes(needle))
    .slice(0, MAX_CHOICES);
  return matches.map(({ passage }) => ({
    name: truncate(`${passage.id} · ${passage.text}`, MAX_CHOICE_LENGTH),
    value: passage.id,
  }));
}
