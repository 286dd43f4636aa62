import { isStopWord, normalise, tokenize, type Token } from './analyzer.js';
import type { AliasGroup, GlossaryLookup } from './glossary-lookup.js';

/**
 * One thing the question asks about: a content word, or a glossary term with all its aliases.
 * `forms[0]` is how the question itself says it.
 */
export interface Concept {
  readonly words: readonly Token[];
  readonly forms: readonly (readonly string[])[];
  readonly aliases?: AliasGroup | undefined;
}

/** The kind of answer the question's form asks for, used as a light ranking cue. */
export type AnswerCue = 'number' | 'time' | 'person' | 'place';

export interface AnalysedQuestion {
  readonly text: string;
  readonly concepts: readonly Concept[];
  readonly cue?: AnswerCue | undefined;
}

const CUES: readonly [RegExp, AnswerCue][] = [
  [/\b(how many|how much|number of|what number|how old|death toll|toll)\b/, 'number'],
  [/\b(when|what time|which time|what day|which day|what year|which year|what date|which date|what month|how long ago)\b/, 'time'],
  [/^\s*(who|whom|whose)\b|\b(which group|which person|what group|by whom)\b/, 'person'],
  [/^\s*where\b|\b(which|what) (district|province|region|city|town|country|place|area|border)\b/, 'place'],
];

/**
 * Reads the question's form and its concepts: its content words, with any glossary term (stop words included, as
 * in "took over") merged into one concept.
 */
export function analyseQuestion(text: string, glossary: GlossaryLookup): AnalysedQuestion {
  const tokens = tokenize(text);
  const stems = tokens.map((token) => token.stem);
  const concepts: Concept[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < tokens.length; ) {
    const alias = glossary.matchAt(stems, index);
    if (!alias && isStopWord(tokens[index]!.word)) {
      index++;
      continue;
    }
    const length = alias?.length ?? 1;
    const words = tokens.slice(index, index + length);
    const own = stems.slice(index, index + length);
    const key = alias ? `alias:${alias.group.terms.join('|')}` : own.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      const forms = alias ? [own, ...alias.group.forms.filter((form) => form.join(' ') !== own.join(' '))] : [own];
      concepts.push({ words, forms, aliases: alias?.group });
    }
    index += length;
  }
  const lowered = normalise(text);
  const cue = CUES.find(([pattern]) => pattern.test(lowered))?.[1];
  return { text, concepts, cue };
}
