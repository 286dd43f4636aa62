import { readFile } from 'node:fs/promises';
import type { Quote } from '../answer/types.js';
import type { Command, CommandContext } from '../commands/command.js';
import { askInConversation, type AnsweredTurn } from '../commands/conversation.js';

/** A turn of a follow-up conversation (see `follow-ups.README.md`); the first turn has no kind. */
interface FollowUpTurn {
  readonly q: string;
  readonly expect: readonly string[] | null;
  readonly kind?: FollowUpKind;
}

type FollowUpKind = 'context' | 'alone' | 'abstain';
const KINDS: readonly FollowUpKind[] = ['context', 'alone', 'abstain'];

interface Conversation {
  readonly id: string;
  readonly turns: readonly FollowUpTurn[];
}

/** One follow-up, answered as a reply to the conversation's previous answer and asked alone. */
interface FollowUpResult {
  readonly conversation: string;
  readonly turn: FollowUpTurn;
  readonly read: string;
  readonly withContext: boolean;
  readonly alone: boolean;
  readonly given: string;
}

/** Whether an answer is right: its first quote holds the evidence, or it abstains where it must. */
type Judge = (turn: FollowUpTurn, answered: boolean, first: Quote | undefined) => boolean;

/**
 * `npm run eval -- --follow-ups FILE`: each conversation is asked in order, every turn after the first as a reply to
 * the answer before it (the chain goes on from the answers the bot gave with its context, as on Discord), and every
 * follow-up also on its own. Prints top-1 with and without the context by kind of follow-up.
 */
export async function runFollowUps(file: string, ask: Command, context: CommandContext, holdsEvidence: (quote: Quote | undefined, expect: readonly string[]) => boolean, quiet: boolean): Promise<void> {
  const conversations = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Conversation);
  const judge: Judge = (turn, answered, first) => (turn.expect === null ? !answered : answered && holdsEvidence(first, turn.expect));
  const results: FollowUpResult[] = [];
  let openings = 0;
  let openingsRight = 0;
  for (const conversation of conversations) {
    let previous: AnsweredTurn | undefined;
    for (const [index, turn] of conversation.turns.entries()) {
      const asked = await askInConversation(ask, turn.q, previous, context);
      const reply = asked.reply;
      if (reply.kind !== 'answer') throw new Error(`eval: /ask answered "${reply.kind}" to ${JSON.stringify(turn.q)}`);
      const right = judge(turn, reply.answer.answered, reply.answer.quotes[0]);
      if (index === 0) {
        openings++;
        if (right) openingsRight++;
      } else {
        const alone = (await askInConversation(ask, turn.q, undefined, context)).reply;
        if (alone.kind !== 'answer') throw new Error(`eval: /ask answered "${alone.kind}" to ${JSON.stringify(turn.q)}`);
        const first = reply.answer.quotes[0];
        results.push({
          conversation: conversation.id,
          turn,
          read: reply.answer.question,
          withContext: right,
          alone: judge(turn, alone.answer.answered, alone.answer.quotes[0]),
          given: reply.answer.answered ? `${first?.text ?? ''} [${first?.citation.passageId ?? ''}]` : '(abstained)',
        });
      }
      previous = asked.turn;
    }
  }
  if (!quiet) {
    for (const result of results) {
      if (result.withContext) continue;
      console.log(`MISS  [${result.conversation}, ${result.turn.kind ?? '?'}] ${result.turn.q}`);
      console.log(`      read as: ${result.read}`);
      console.log(`      gave: ${result.given}`);
      console.log(`      want: ${result.turn.expect === null ? '(abstain)' : result.turn.expect.join(' | ')}`);
    }
  }
  const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);
  console.log(`Follow-ups from ${file} (${conversations.length} conversations; openings right ${percent(openingsRight, openings)}, ${openingsRight}/${openings})`);
  console.log('  kind      follow-ups  top-1 with context  top-1 asked alone  difference');
  for (const kind of KINDS) {
    const ofKind = results.filter((result) => result.turn.kind === kind);
    const withContext = ofKind.filter((result) => result.withContext).length;
    const alone = ofKind.filter((result) => result.alone).length;
    const points = ofKind.length === 0 ? 0 : (100 * (withContext - alone)) / ofKind.length;
    console.log(
      `  ${kind.padEnd(8)}  ${String(ofKind.length).padEnd(10)}  ${`${percent(withContext, ofKind.length)} (${withContext})`.padEnd(18)}  ${`${percent(alone, ofKind.length)} (${alone})`.padEnd(17)}  ${points >= 0 ? '+' : ''}${points.toFixed(1)} points`,
    );
  }
  console.log('  (abstain: right when the bot abstains; read-as shown for each miss above)');
}
