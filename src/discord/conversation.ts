import { Routes, type APIMessage, type Message } from 'discord.js';
import { NOT_WORDS } from '../check/claims.js';
import type { Command, CommandContext, Reply } from '../commands/command.js';
import { askInConversation, type AnsweredTurn } from '../commands/conversation.js';
import { CONVERSATION_HELP } from '../commands/replies.js';
import { runCommand } from '../commands/run-command.js';
import { RecentAnswers } from '../conversation/recent-answers.js';
import { parseLine } from '../console/parse-line.js';
import type { Library } from '../library/library.js';
import type { QuestionLog } from '../store/question-log.js';
import type { ConversationSetting, ServerSettings } from '../store/server-settings.js';
import { turnOfAnswerMessage } from './answer-message.js';
import { Cooldown } from './cooldown.js';
import { oneLine, type Logger } from './log.js';
import { outcomeOf } from './router.js';
import { renderNotice, renderReply, toMessageReplyBody, type RenderedMessage } from './render.js';

export interface ConversationOptions {
  readonly library: Library;
  readonly commands: readonly Command[];
  readonly questions?: QuestionLog | undefined;
  /** Where each server lets the bot answer; without it, everywhere. */
  readonly settings?: ServerSettings | undefined;
  /** The same cooldown as `/ask`'s: a member waits between questions however they ask. */
  readonly askCooldown: Cooldown;
  readonly recentAnswers: RecentAnswers<AnsweredTurn>;
  readonly logger: Logger;
}

const APOLOGY = 'Sorry, something went wrong while answering that. It has been logged; please try again.';
const EVERYWHERE: ConversationSetting = { mode: 'everywhere' };

/**
 * Answers questions asked in the conversation: a message that mentions the bot (a reply to one of its answers
 * mentions it too, unless the member turned the reply's mention off, when Discord does not show the bot its text),
 * and any message in a DM. Each is answered as `/ask` would be, as a reply to the message; a reply to one of the
 * bot's answers is a follow-up to it (`askInConversation`). Everything else (other messages, other bots, the bot's
 * own messages, servers or channels where a moderator turned answers off) is left alone. Never throws; logs one
 * line per answer, never who asked.
 */
export function createConversation(options: ConversationOptions): (message: Message) => Promise<void> {
  const { logger } = options;
  const ask = options.commands.find((command) => command.name === 'ask');
  // A member asking too fast is told once per cooldown, not once per message.
  const warned = new Cooldown(options.askCooldown.seconds);

  return async (message) => {
    const me = message.client.user?.id;
    if (me === undefined || message.author.bot || message.webhookId !== null || message.system) return;
    const dm = !message.inGuild();
    if (!dm && !message.mentions.users.has(me)) return;
    const started = performance.now();
    const kind = dm ? 'dm' : 'mention';
    const log = (outcome: string): void => logger.info(`message ${kind} latency=${Math.round(performance.now() - started)}ms ${outcome}`);
    try {
      if (message.inGuild() && !answersIn((await options.settings?.conversation(message.guildId)) ?? EVERYWHERE, message)) {
        log('off-here');
        return;
      }
      const context: CommandContext = {
        library: options.library,
        invoker: { id: message.author.id, isModerator: false },
        questions: options.questions,
        guildId: message.guildId ?? undefined,
        channelId: message.channelId,
        settings: options.settings,
      };
      const { reply, turn, outcome } = await answer(message, questionOf(message.content), me, context);
      if (reply) {
        const sent = await replyTo(message, renderReply(reply));
        if (turn) options.recentAnswers.remember(sent.id, turn);
      }
      log(outcome);
    } catch (error) {
      logger.error(`message ${kind} latency=${Math.round(performance.now() - started)}ms failed: ${oneLine(error)}`, error);
      await replyTo(message, renderNotice(APOLOGY, 'error', false)).catch((apologyError: unknown) => logger.error(`message ${kind}: the apology failed too: ${oneLine(apologyError)}`));
    }
  };

  /** The reply to a message (none when it should go unanswered), what a follow-up to it would follow, and the log's outcome. */
  async function answer(
    message: Message,
    text: string,
    me: string,
    context: CommandContext,
  ): Promise<{ reply?: Reply | undefined; turn?: AnsweredTurn | undefined; outcome: string }> {
    const notice = (words: string, outcome: string): { reply: Reply; outcome: string } => ({ reply: { kind: 'notice', tone: 'info', text: words, private: false }, outcome });
    if (text === '' || /^\/?help[.!?]*$/i.test(text)) return notice(CONVERSATION_HELP, 'help');
    if (text.startsWith('/')) {
      // "@bot /source bannu-siege#p5" runs that command; moderators' commands stay slash commands in their server.
      const parsed = parseLine(text, options.commands);
      if (parsed.kind === 'command' && parsed.command.name !== 'ask') {
        if (parsed.command.moderatorOnly) return notice(`/${parsed.command.name} is for moderators: use it as a slash command in the server.`, 'refused');
        const reply = await runCommand(parsed.command, parsed.options, context, { onError: (error) => logger.error(`/${parsed.command.name} failed: ${oneLine(error)}`, error) });
        return { reply: { ...reply, private: false }, outcome: outcomeOf(reply) };
      }
      if (parsed.kind === 'command') text = String(parsed.options['question'] ?? '');
    }
    if (!ask) return notice('Questions are not being answered right now; try /help.', 'no-ask');
    const check = options.askCooldown.take(context.invoker.id);
    if (!check.ok) {
      if (!warned.take(context.invoker.id).ok) return { outcome: 'cooldown-again' };
      return notice(`You're asking quickly! Please wait ${check.secondsLeft} more second${check.secondsLeft === 1 ? '' : 's'} before the next question.`, 'cooldown');
    }
    const previous = await previousTurn(message, me);
    const { reply, turn } = await askInConversation(ask, text, previous, context, {
      onError: (error) => logger.error(`/ask failed: ${oneLine(error)}`, error),
    });
    const followUp = reply.kind === 'answer' && reply.followUp ? ` follow-up=${reply.followUp.depth}` : '';
    return { reply, turn, outcome: `${outcomeOf(reply)}${followUp}` };
  }

  /** The answer a reply follows up: from the record of recent answers, or else read from the answer's message. */
  async function previousTurn(message: Message, me: string): Promise<AnsweredTurn | undefined> {
    const id = message.reference?.messageId;
    if (id === undefined) return undefined;
    const recalled = options.recentAnswers.recall(id);
    if (recalled) return recalled;
    // Discord sends the replied-to message with the reply, and discord.js caches it; fetched only if it was not.
    const replied = message.channel.messages.cache.get(id) ?? (await message.fetchReference().catch(() => undefined));
    return replied ? turnOfAnswerMessage(replied, me) : undefined;
  }
}

/**
 * Posts the reply through discord.js's REST directly: `message.reply` would also build a discord.js Message of the
 * sent answer (its embeds and components parsed into objects) that nothing reads; in a probe (`npm run bench --
 * --quick --only conversation`) the mention's p50 went from 1.16 to 0.81 of `/ask`'s. Only the new message's id is
 * kept, for the record of recent answers.
 */
async function replyTo(message: Message, rendered: RenderedMessage): Promise<{ id: string }> {
  const sent = (await message.client.rest.post(Routes.channelMessages(message.channelId), { body: toMessageReplyBody(rendered, message.id) })) as APIMessage;
  return { id: sent.id };
}

/** The question a message asks: its text without mentions, channels, emoji, links or invites. */
export function questionOf(content: string): string {
  return content.replace(NOT_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

/** Whether a server's setting lets the bot answer in the message's channel (a thread counts as its channel). */
function answersIn(setting: ConversationSetting, message: Message<true>): boolean {
  if (setting.mode !== 'channels') return setting.mode === 'everywhere';
  const parent = message.channel.isThread() ? message.channel.parentId : null;
  return setting.channelIds.includes(message.channelId) || (parent !== null && setting.channelIds.includes(parent));
}
