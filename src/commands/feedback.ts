import type { CommandContext, Reply } from './command.js';
import type { Verdict } from '../store/question-log.js';

const THANKS: Readonly<Record<Verdict, string>> = {
  helpful: 'Thanks: noted that this answered your question.',
  wrong: 'Thanks: noted that a quote was wrong for your question. Moderators see it in /gaps.',
};

/**
 * A click on "Answered my question" or "Wrong quote": one vote per member per answer, a second click changing
 * it. Always a private acknowledgement, never a new public message.
 */
export async function voteOn(answerId: number, verdict: Verdict, { questions, invoker }: CommandContext): Promise<Reply> {
  const outcome = (await questions?.vote(answerId, invoker.id, verdict)) ?? 'off';
  const text =
    outcome === 'recorded'
      ? THANKS[verdict]
      : outcome === 'changed'
        ? `Changed your vote. ${THANKS[verdict]}`
        : outcome === 'unchanged'
          ? 'You already said that about this answer; it is counted once.'
          : outcome === 'unknown-answer'
            ? 'This answer is no longer on record (records are deleted after a while), so the vote was not counted.'
            : 'Feedback is not being recorded right now, so the vote was not counted.';
  return { kind: 'notice', tone: 'info', text, private: true };
}
