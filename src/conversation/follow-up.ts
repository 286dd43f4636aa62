import { breaksBetween, isContent, isPronoun, phrasesOf, WORD_CLASSES, wordsOf, type Phrase, type Word } from './phrases.js';

/** The answer a follow-up replies to: the question as the bot read it, and the text of the passages it quoted. */
export interface PreviousTurn {
  readonly question: string;
  readonly quotes: readonly string[];
}

/** How a follow-up was read: the question to answer, and whether the previous turn went into it. */
export interface FollowUpReading {
  readonly question: string;
  readonly usedContext: boolean;
}

/** Defaults for follow-ups: how deep a chain goes, and how many of the previous answer's passages are read. */
export const FOLLOW_UP_DEFAULTS = {
  /** A reply to an answer that is itself this many follow-ups deep is answered on its own. */
  maxDepth: 5,
  quotesRead: 2,
} as const;

/** Words that may trail a wh-word in a fragment without making it a question of its own: "why then?", "where exactly?". */
const FRAGMENT_FILLERS = new Set(['then', 'exactly', 'else', 'again', 'so', 'instead', 'too', 'though']);
/** Verbs after which "so" stands for what was said: "who said so?". */
const SAYING = new Set(['say', 'said', 'says', 'think', 'thinks', 'thought', 'claim', 'claimed', 'claims', 'reported']);

/** What a pronoun stands for: "event" is what the previous answer said ("who reported that?"). */
type Referent = 'plural' | 'person' | 'thing' | 'event' | 'place';

/** A pronoun of the follow-up that points outside it, and what kind of phrase it stands for. */
interface Anaphor {
  readonly word: Word;
  readonly referent: Referent;
}

/**
 * Reads a follow-up in the light of the turn it replies to, as a person would, and says what question that makes:
 * - a pronoun or demonstrative pointing outside the follow-up ("did they get it?", "where was that?") is replaced by
 *   the phrase it stands for, of the previous question, or failing that of the quoted passages: a plural pronoun by
 *   a plural phrase, "he" or "she" by a name, "it" by what the previous question asked about ("which group" → "the
 *   group") or its last singular phrase, "there" by a name;
 * - a fragment is completed with the previous question: a bare wh-word ("when?", "with whom?", "how many
 *   soldiers?") takes the previous question's place for its own; "and the soldiers?" or "what about the hostages?"
 *   replaces what the previous question asked about, or is added to it;
 * - "how many were injured?" gets back the noun the previous question counted.
 * A follow-up with none of these is a question of its own and is returned as asked. Works on text alone, so any
 * transport, process or engine reads a follow-up the same way.
 */
export function readFollowUp(followUp: string, previous: PreviousTurn): FollowUpReading {
  const asked = followUp.replace(/\s+/g, ' ').trim();
  const words = wordsOf(asked);
  let first = 0;
  while (first < words.length - 1 && WORD_CLASSES.openers.has(words[first]!.lower)) first++;
  const opened = first > 0;
  const body = words.slice(first);
  if (body.length === 0) return { question: asked, usedContext: false };
  const context = contextOf(previous);

  const fragment = readFragment(asked, body, opened, context);
  if (fragment !== undefined) return finish(asked, fragment);

  let rewritten = asked;
  // Replaced from the end, so earlier offsets stay valid.
  const replacements: { start: number; end: number; text: string }[] = [];
  const elided = elidedCount(body);
  if (elided !== undefined) {
    const noun = context.counted ?? context.phrases.find((phrase) => phrase.plural)?.text;
    if (noun !== undefined) replacements.push({ start: elided.end, end: elided.end, text: ` ${noun}` });
  }
  for (const anaphor of anaphorsOf(asked, body)) {
    const antecedent = antecedentFor(anaphor.referent, context, asked);
    if (antecedent === undefined) continue;
    const possessive = WORD_CLASSES.possessives.has(anaphor.word.lower);
    const before = body[body.indexOf(anaphor.word) - 1];
    // "what was attacked there?" → "… in Bannu?", unless a preposition is already there ("from there").
    const place = anaphor.referent === 'place' && !(before && WORD_CLASSES.prepositions.has(before.lower)) ? `in ${antecedent}` : antecedent;
    replacements.push({ start: anaphor.word.start, end: anaphor.word.end, text: possessive ? `${antecedent}'s` : place });
  }
  if (replacements.length === 0) return { question: asked, usedContext: false };
  for (const { start, end, text } of replacements.sort((a, b) => b.start - a.start)) rewritten = rewritten.slice(0, start) + text + rewritten.slice(end);
  return finish(asked, rewritten);
}

/** What the previous turn offers to resolve against. */
interface Context {
  readonly question: string;
  /** The previous question's phrases, then the quoted passages'. */
  readonly phrases: readonly Phrase[];
  readonly questionPhrases: readonly Phrase[];
  readonly quotePhrases: readonly Phrase[];
  /** The phrase the previous question asked about ("group" in "which group…"). */
  readonly askedPhrase?: Phrase | undefined;
  /** The noun the previous question counted ("how many soldiers…"). */
  readonly counted?: string | undefined;
}

function contextOf(previous: PreviousTurn): Context {
  const question = previous.question.replace(/\s+/g, ' ').trim();
  const questionPhrases = phrasesOf(question);
  const quotePhrases = previous.quotes.slice(0, FOLLOW_UP_DEFAULTS.quotesRead).flatMap((quote) => phrasesOf(quote));
  const askedPhrase = questionPhrases.find((phrase) => phrase.asked);
  const counted = askedPhrase && /^how (?:many|much)\b/i.test(question.slice(askedPhrase.start)) ? askedPhrase.text : undefined;
  return { question, phrases: [...questionPhrases, ...quotePhrases], questionPhrases, quotePhrases, askedPhrase, counted };
}

/**
 * A follow-up without a verb of its own, completed with the previous question; undefined when it is not a fragment.
 * "when?" → "when [did the militants seize the police station]"; "how many soldiers?" after "How many hostage-takers
 * were killed?" → "how many soldiers were killed"; "and the soldiers?" → the previous question with "soldiers" for
 * what it asked about.
 */
function readFragment(asked: string, body: readonly Word[], opened: boolean, context: Context): string | undefined {
  if (body.some((word) => WORD_CLASSES.auxiliaries.has(word.lower))) return undefined;
  const bodyText = asked.slice(body[0]!.start).replace(/[?!.\s]+$/, '');
  const about = /^(?:what|how) (?:about|of)\b/i.exec(bodyText);
  let at = 0;
  if (WORD_CLASSES.prepositions.has(body[0]!.lower) && body.length > 1) at = 1;
  const wh = body[at];
  if (!about && wh && WORD_CLASSES.wh.has(wh.lower)) {
    // After the wh-word: its own phrase ("which two countries", "how many soldiers"), then only fillers.
    const own = phrasesOf(bodyText).find((phrase) => phrase.asked);
    const offset = body[0]!.start;
    const rest = body.slice(at + 1).filter((word) => !(own && word.start - offset >= own.start && word.end - offset <= own.end));
    const tail = rest.filter((word) => !(wh.lower === 'how' && (word.lower === 'many' || word.lower === 'much')));
    if (tail.some((word) => !FRAGMENT_FILLERS.has(word.lower)) || anaphorsOf(asked, body).length > 0) return undefined;
    // "with whom?" after "what deal did the afghans agree": the deal stays, as the object: "… agree the deal".
    const { askedPhrase, question } = context;
    const movesAsked = own === undefined && askedPhrase !== undefined && !context.counted && wordsOf(question.slice(askedPhrase.start))[0]?.start === 0;
    const frame = withoutWh(context, own !== undefined || movesAsked).replace(/[?!.\s]+$/, '');
    return `${bodyText} ${frame}${movesAsked ? ` the ${askedPhrase.text}` : ''}`;
  }
  const phrase = about ? bodyText.slice(about[0].length).trim() : opened && !body.some((word) => WORD_CLASSES.wh.has(word.lower)) ? bodyText : undefined;
  if (phrase === undefined || phrase === '' || anaphorsOf(asked, body).length > 0) return undefined;
  const hasDeterminer = WORD_CLASSES.determiners.has(wordsOf(phrase)[0]?.lower ?? '');
  const { askedPhrase, question } = context;
  // "and the soldiers?" stands for what the previous question asked about; "and killed?" adds to what it asked.
  if (askedPhrase && (hasDeterminer || about)) {
    const noun = wordsOf(phrase)
      .filter((word) => isContent(word))
      .map((word) => word.text)
      .join(' ');
    return question.slice(0, askedPhrase.contentStart) + noun + question.slice(askedPhrase.end);
  }
  return `${question.replace(/[?!.\s]+$/, '')} and ${phrase}`;
}

/**
 * The previous question without its wh-word (and a preposition before it), ready for a fragment's own: with `whole`,
 * without what the wh-word asked about either ("how many hostage-takers" goes when "how many soldiers" replaces it).
 */
function withoutWh(context: Context, whole: boolean): string {
  const { question, askedPhrase } = context;
  const words = wordsOf(question);
  const index = words.findIndex((word) => WORD_CLASSES.wh.has(word.lower));
  if (index < 0) return question;
  let start = words[index]!.start;
  const before = words[index - 1];
  if (before && WORD_CLASSES.prepositions.has(before.lower)) start = before.start;
  let end = words[index]!.end;
  if (words[index]!.lower === 'how' && /^(?:many|much)$/.test(words[index + 1]?.lower ?? '')) end = words[index + 1]!.end;
  if (askedPhrase && askedPhrase.start === words[index]!.start) end = whole ? askedPhrase.end : end;
  return `${question.slice(0, start)}${question.slice(end)}`.replace(/\s+/g, ' ').trim();
}

/** "how many were injured?": a count whose noun was left out; the words "how many" (or "how much"). */
function elidedCount(body: readonly Word[]): Word | undefined {
  for (let i = 0; i + 1 < body.length; i++) {
    if (body[i]!.lower !== 'how' || !/^(?:many|much)$/.test(body[i + 1]!.lower)) continue;
    const next = body[i + 2];
    const subject = body[i + 3];
    // "how much was [it] worth?" has its noun; "how many were injured?" has none.
    const hasSubject = subject !== undefined && (isPronoun(subject.lower) || WORD_CLASSES.determiners.has(subject.lower) || /^\p{Lu}/u.test(subject.text));
    if (next === undefined || (WORD_CLASSES.auxiliaries.has(next.lower) && !hasSubject)) return body[i + 1];
  }
  return undefined;
}

/** The pronouns of the follow-up that point outside it. */
function anaphorsOf(text: string, body: readonly Word[]): Anaphor[] {
  const found: Anaphor[] = [];
  body.forEach((word, index) => {
    const before = body[index - 1];
    const after = body[index + 1];
    const endsHere = after === undefined || breaksBetween(text, word, after);
    const { lower } = word;
    if (WORD_CLASSES.plural.has(lower)) found.push({ word, referent: 'plural' });
    else if (WORD_CLASSES.person.has(lower)) found.push({ word, referent: 'person' });
    else if (WORD_CLASSES.neuter.has(lower)) found.push({ word, referent: 'thing' });
    else if (WORD_CLASSES.demonstratives.has(lower)) {
      // A demonstrative before a content word is a determiner ("that day"); as a pronoun it stands alone.
      if (endsHere || !isContent(after)) found.push({ word, referent: lower === 'these' || lower === 'those' ? 'plural' : 'event' });
    } else if (lower === 'there') {
      // "were there…", "there was…" state that something exists; elsewhere "there" is a place.
      const existential = (before && WORD_CLASSES.be.has(before.lower)) || (after && WORD_CLASSES.be.has(after.lower));
      if (!existential) found.push({ word, referent: 'place' });
    } else if (lower === 'so' && before && SAYING.has(before.lower) && endsHere) {
      found.push({ word, referent: 'event' });
    }
  });
  return found;
}

/** The phrase a pronoun stands for, or undefined when the previous turn offers none not already in the follow-up. */
function antecedentFor(referent: Referent, context: Context, followUp: string): string | undefined {
  const { questionPhrases, quotePhrases, askedPhrase } = context;
  const fresh = (phrase: Phrase): boolean => !followUp.toLowerCase().includes(phrase.text.toLowerCase());
  const pick = (...lists: readonly (readonly Phrase[])[]): Phrase | undefined => {
    for (const list of lists) {
      const phrase = list.find(fresh);
      if (phrase) return phrase;
    }
    return undefined;
  };
  const singular = (phrase: Phrase): boolean => !phrase.plural;
  const common = (phrase: Phrase): boolean => singular(phrase) && !phrase.name;
  const names = (phrase: Phrase): boolean => phrase.name;
  const thing = (): Phrase | undefined =>
    pick(
      askedPhrase && singular(askedPhrase) ? [askedPhrase] : [],
      [...questionPhrases].reverse().filter((phrase) => common(phrase) && !phrase.asked),
      quotePhrases.filter(common),
      questionPhrases.filter(names),
      quotePhrases.filter(names),
    );
  switch (referent) {
    case 'plural':
      // Not a name: "they" may stand for a group by its name, but as often a name is an acronym ("GMT").
      return definite(pick(questionPhrases.filter((phrase) => phrase.plural), quotePhrases.filter((phrase) => phrase.plural)));
    case 'person':
      return definite(
        pick(
          questionPhrases.filter((phrase) => phrase.name && singular(phrase)),
          quotePhrases.filter((phrase) => phrase.name && singular(phrase)),
          questionPhrases.filter((phrase) => singular(phrase) && !phrase.asked),
        ),
      );
    case 'thing':
      return definite(thing());
    case 'event':
      // What the answer said: its passage's first phrase, as in "who reported [the siege]?".
      return definite(pick(quotePhrases.filter((phrase) => !phrase.name)) ?? thing());
    case 'place': {
      // "where is Bannu?" → "there" is Bannu; else a phrase after "in", "at" or "near", the question's first.
      const where = /^\s*where\b/i.test(context.question) ? questionPhrases.at(-1) : undefined;
      return definite(
        pick(where ? [where] : [], questionPhrases.filter((phrase) => phrase.place), quotePhrases.filter((phrase) => phrase.place && phrase.name), quotePhrases.filter(names)),
      );
    }
  }
}

/** A phrase as a pronoun's stand-in: names as written, others with "the" ("the group"). */
function definite(phrase: Phrase | undefined): string | undefined {
  if (phrase === undefined) return undefined;
  return phrase.name ? phrase.text : `the ${phrase.text}`;
}

function finish(asked: string, question: string): FollowUpReading {
  const tidy = question.replace(/\s+/g, ' ').replace(/\s+([?!.,])/g, '$1').trim();
  const ended = /[?!.]$/.test(tidy) ? tidy : `${tidy}?`;
  return { question: ended, usedContext: ended.toLowerCase() !== asked.toLowerCase() };
}

