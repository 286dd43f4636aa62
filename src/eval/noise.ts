import path from 'node:path';

/** A question of an evaluation set: `expect` lists evidence the first quote must hold; null: it must abstain. */
export interface NoiseQuestion {
  readonly q: string;
  readonly expect: readonly string[] | null;
}

/** A set of questions, from its file. */
export interface QuestionSet {
  readonly file: string;
  readonly questions: readonly NoiseQuestion[];
}

/** One kind of noise a member's question may carry; `apply` gives undefined where it cannot apply. */
interface Noise {
  readonly name: string;
  readonly apply: (question: string, random: () => number) => string | undefined;
}

/**
 * Characters that show nothing or move nothing on screen, as a paste from another app or a mistyped key leaves:
 * C0 controls (bell, backspace, escape, delete…) and format characters (zero-width space and joiners, soft hyphen,
 * byte-order mark, direction marks).
 */
const CONTROLS = ['\u0000', '\u0007', '\u0008', '\u001b', '\u007f', '\u0085', '\u00ad', '\u200b', '\u200d', '\u200e', '\ufeff'];
/** Combining accents: acute, grave, circumflex, tilde, diaeresis, cedilla. */
const ACCENTS = ['\u0301', '\u0300', '\u0302', '\u0303', '\u0308', '\u0327'];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

/** The kinds of noise measured, each alone on every question it applies to. */
export const NOISES: readonly Noise[] = [
  {
    name: 'one control character',
    apply: (question, random) => {
      const at = Math.floor(random() * (question.length + 1));
      return question.slice(0, at) + pick(CONTROLS, random) + question.slice(at);
    },
  },
  {
    name: 'one stray accent',
    apply: (question, random) => {
      const letters = [...question.matchAll(/\p{L}/gu)];
      if (letters.length === 0) return undefined;
      const after = pick(letters, random).index + 1;
      return question.slice(0, after) + pick(ACCENTS, random) + question.slice(after);
    },
  },
  { name: 'all capitals', apply: (question) => question.toUpperCase() },
  { name: 'trailing "lol"', apply: (question) => `${question} lol` },
  { name: 'trailing "??"', apply: (question) => `${question.replace(/[?.!]+\s*$/, '')}??` },
  {
    name: '"4" for "for"',
    apply: (question) => (/\bfor\b/i.test(question) ? question.replace(/\bfor\b/gi, '4') : undefined),
  },
];

/** Tells for each question whether the bot got it right: the evidence in its first quote, or an abstention. */
export type Judge = (questions: readonly NoiseQuestion[]) => Promise<readonly boolean[]>;

interface Tally {
  answerable: number;
  top1: number;
  offTopic: number;
  abstained: number;
}

const emptyTally = (): Tally => ({ answerable: 0, top1: 0, offTopic: 0, abstained: 0 });

function count(tally: Tally, question: NoiseQuestion, right: boolean): void {
  if (question.expect === null) {
    tally.offTopic++;
    if (right) tally.abstained++;
  } else {
    tally.answerable++;
    if (right) tally.top1++;
  }
}

export interface NoiseOptions {
  /** The seeded generator that places the noise. */
  readonly random: () => number;
  readonly log: (line: string) => void;
  /** Also lists each noisy question the bot got wrong though it got the question as typed right. */
  readonly showLost: boolean;
}

const share = (part: number, whole: number): number => (whole === 0 ? Number.NaN : (100 * part) / whole);
/** A share as printed: "91.4 %", or "n/a" with nothing to count. */
const shown = (value: number): string => (Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} %`).padStart(7);

/**
 * Asks every question of every set as typed and with each kind of noise (seeded, the same on every machine), and
 * prints, per kind, top-1 on the answerable questions it applies to, clean against noisy, and the drop in points;
 * and the abstention on the off-topic ones, which noise must not turn into answers. Goes through `judge`, so it
 * measures whatever ranks and abstains.
 */
export async function measureNoise(sets: readonly QuestionSet[], judge: Judge, options: NoiseOptions): Promise<void> {
  const { random, log } = options;
  const questions = sets.flatMap((set) => set.questions);
  const clean = await judge(questions);
  log(`Input noise: ${questions.length} questions of ${sets.map((set) => path.basename(set.file)).join(', ')}`);
  log('  noise                    applies to   top-1 clean → noisy   drop (points)   abstains off-topic clean → noisy');
  for (const noise of NOISES) {
    const applied = questions.map((question) => ({ question, noisy: noise.apply(question.q, random) }));
    const kept = applied.flatMap(({ question, noisy }, i) => (noisy === undefined ? [] : [{ question, noisy, clean: clean[i]! }]));
    const noisy = await judge(kept.map(({ question, noisy: q }) => ({ ...question, q })));
    const [before, after] = [emptyTally(), emptyTally()];
    kept.forEach(({ question, clean: right }, i) => {
      count(before, question, right);
      count(after, question, noisy[i]!);
    });
    const [top1Before, top1After] = [share(before.top1, before.answerable), share(after.top1, after.answerable)];
    const abstained = `${shown(share(before.abstained, before.offTopic))} → ${shown(share(after.abstained, after.offTopic))}`;
    log(`  ${noise.name.padEnd(24)} ${String(kept.length).padStart(10)}   ${shown(top1Before)} → ${shown(top1After)}   ${(top1Before - top1After).toFixed(1).padStart(13)}   ${abstained}`);
    if (options.showLost) {
      kept.forEach(({ noisy: q, clean: right }, i) => {
        if (right && !noisy[i]) log(`    lost: ${JSON.stringify(q)}`);
      });
    }
  }
}
