import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  Message,
  MessageContextMenuCommandInteraction,
} from 'discord.js';
import { MessageFlags } from 'discord.js';
import { MAX_CHOICES, MAX_CHOICE_LENGTH, truncate } from '../commands/choices.js';
import type { Choice, Command, CommandContext, RawOptions, Reply } from '../commands/command.js';
import { voteOn } from '../commands/feedback.js';
import type { MessageCommand } from '../commands/message-command.js';
import { runCommand } from '../commands/run-command.js';
import type { Peers } from '../fleet/peers.js';
import type { Library } from '../library/library.js';
import type { QuestionLog } from '../store/question-log.js';
import type { ServerSettings } from '../store/server-settings.js';
import { parseButtonId } from './buttons.js';
import type { Cooldown } from './cooldown.js';
import { oneLine, type Logger } from './log.js';
import { invokerOf } from './moderator.js';
import { readAnswerFooter } from './answer-message.js';
import { renderNotice, renderReply, toEditOptions, toReplyOptions, type RenderedMessage } from './render.js';

export interface RouterOptions {
  readonly library: Library;
  readonly commands: readonly Command[];
  /** Message context-menu commands ("Check against the articles"). */
  readonly messageCommands?: readonly MessageCommand[] | undefined;
  /** Where questions and votes are recorded; absent, nothing is. */
  readonly questions?: QuestionLog | undefined;
  /** Each server's settings, for `/conversation`. */
  readonly settings?: ServerSettings | undefined;
  /** Whether the process also answers messages (the gateway), as `/help` says. */
  readonly readsMessages?: boolean | undefined;
  /** Roles whose members count as moderators, besides those with Manage Server. */
  readonly moderatorRoleIds: readonly string[];
  /** Applied to `/ask`, the command that can be spammed; the buttons and other commands are cheap. */
  readonly askCooldown: Cooldown;
  readonly logger: Logger;
  /** The other processes serving this bot, which `/reload` passes a reload on to. */
  readonly peers?: Peers | undefined;
}

/** What the log line says about an interaction. */
interface Handled {
  readonly name: string;
  readonly outcome: string;
}

/** Commands that read files (a reload): acknowledged at once so Discord's 3-second window is never missed. */
const DEFERRED_COMMANDS = new Set(['reload']);

const APOLOGY = 'Sorry, something went wrong while answering that. It has been logged; please try again.';

/**
 * Routes Discord interactions to the commands: slash commands, their autocomplete, message context-menu
 * commands, and the buttons under answers. Never throws: a failure is logged and the user gets a private
 * apology, and the bot carries on. Logs one line per interaction: what it was, how long it took, and how it
 * ended; never who (no user ids are kept, in the logs or the store).
 */
export function createRouter(options: RouterOptions): (interaction: Interaction) => Promise<void> {
  const { logger } = options;
  const byName = new Map(options.commands.map((command) => [command.name, command]));
  const messageCommands = new Map((options.messageCommands ?? []).map((command) => [command.name, command]));

  return async (interaction) => {
    const started = performance.now();
    const describe = (name: string, outcome: string): string =>
      `interaction ${name} latency=${Math.round(performance.now() - started)}ms ${outcome}`;
    let name = kindOf(interaction);
    try {
      const context: CommandContext = {
        library: options.library,
        invoker: invokerOf(interaction, options.moderatorRoleIds),
        peers: options.peers,
        questions: options.questions,
        guildId: interaction.guildId ?? undefined,
        channelId: interaction.channelId ?? undefined,
        settings: options.settings,
        readsMessages: options.readsMessages,
      };
      let handled: Handled;
      if (interaction.isChatInputCommand()) handled = await handleCommand(interaction, context);
      else if (interaction.isAutocomplete()) handled = await handleAutocomplete(interaction, context);
      else if (interaction.isButton()) handled = await handleButton(interaction, context);
      else if (interaction.isMessageContextMenuCommand()) handled = await handleMessageCommand(interaction, context);
      else return;
      name = handled.name;
      logger.info(describe(handled.name, handled.outcome));
    } catch (error) {
      logger.error(describe(name, `failed: ${oneLine(error)}`), error);
      await apologise(interaction).catch((apologyError: unknown) =>
        logger.error(`interaction ${name}: the apology failed too: ${oneLine(apologyError)}`),
      );
    }
  };

  async function handleCommand(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<Handled> {
    const name = `/${interaction.commandName}`;
    const command = byName.get(interaction.commandName);
    if (!command) {
      const notice = `I don't know /${interaction.commandName}. The commands may have changed: try /help.`;
      await interaction.reply(toReplyOptions(renderNotice(notice, 'info', true)));
      return { name, outcome: 'unknown-command' };
    }
    if (command.name === 'ask') {
      const check = options.askCooldown.take(context.invoker.id);
      if (!check.ok) {
        const notice = `You're asking quickly! Please wait ${check.secondsLeft} more second${check.secondsLeft === 1 ? '' : 's'} before the next question.`;
        await interaction.reply(toReplyOptions(renderNotice(notice, 'info', true)));
        return { name, outcome: 'cooldown' };
      }
    }
    const deferred = DEFERRED_COMMANDS.has(command.name);
    // Deferred commands answer privately (a reload report is for the moderator who asked).
    if (deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const reply = await run(command, optionsOf(interaction), context);
    const message = renderReply(reply);
    if (deferred) await interaction.editReply(toEditOptions(message));
    else await interaction.reply(toReplyOptions(message));
    return { name, outcome: outcomeOf(reply) };
  }

  async function handleAutocomplete(interaction: AutocompleteInteraction, context: CommandContext): Promise<Handled> {
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value);
    const command = byName.get(interaction.commandName);
    const choices = command?.autocomplete?.({ name: focused.name, value: typed }, context) ?? [];
    const safe = withinLimits(choices, typed);
    await interaction.respond(safe);
    return { name: `/${interaction.commandName} autocomplete`, outcome: `choices=${safe.length}` };
  }

  async function handleButton(interaction: ButtonInteraction, context: CommandContext): Promise<Handled> {
    const action = parseButtonId(interaction.customId);
    if (action?.kind === 'gaps') return turnGapsPage(interaction, action, context);
    const question = action?.kind === 'more' ? questionOf(interaction.message) : undefined;
    const source = byName.get('source');
    const ask = byName.get('ask');
    let reply: Reply;
    if (action?.kind === 'passage' && source) {
      reply = await run(source, { passage: action.passageId, private: true }, context);
    } else if (action?.kind === 'more' && question !== undefined && ask) {
      reply = await run(ask, { question, private: true, page: action.page }, context);
    } else if (action?.kind === 'vote') {
      reply = await voteOn(action.answerId, action.verdict, context);
    } else {
      reply = { kind: 'notice', tone: 'info', text: 'This button no longer works. Please ask again with /ask.', private: true };
    }
    // Whatever a button shows is for the person who clicked, not a new message for the whole channel.
    const message: RenderedMessage = { ...renderReply(reply), ephemeral: true };
    await interaction.reply(toReplyOptions(message));
    return { name: `button ${action?.kind ?? 'unknown'}`, outcome: outcomeOf(reply) };
  }

  /** A page button of `/gaps`: the page replaces the one shown, in the same private message. */
  async function turnGapsPage(
    interaction: ButtonInteraction,
    action: { readonly days: number; readonly page: number },
    context: CommandContext,
  ): Promise<Handled> {
    const gaps = byName.get('gaps');
    const reply: Reply = gaps
      ? await run(gaps, { days: action.days, page: action.page + 1 }, context)
      : { kind: 'notice', tone: 'info', text: 'This button no longer works. Please use /gaps again.', private: true };
    await interaction.update(toEditOptions(renderReply(reply)));
    return { name: 'button gaps', outcome: outcomeOf(reply) };
  }

  async function handleMessageCommand(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<Handled> {
    const name = `app "${interaction.commandName}"`;
    const command = messageCommands.get(interaction.commandName);
    const message = interaction.targetMessage;
    const reply: Reply = command
      ? await command.execute({ content: message.content, attachments: message.attachments.size + message.embeds.length }, context)
      : { kind: 'notice', tone: 'info', text: `I don't know "${interaction.commandName}". The commands may have changed: try /help.`, private: true };
    // What a member checks is for them alone, whatever the command says.
    await interaction.reply(toReplyOptions({ ...renderReply(reply), ephemeral: true }));
    return { name, outcome: outcomeOf(reply) };
  }

  function run(command: Command, raw: RawOptions, context: CommandContext): Promise<Reply> {
    return runCommand(command, raw, context, {
      onError: (error) => logger.error(`/${command.name} failed: ${oneLine(error)}`, error),
    });
  }
}

function kindOf(interaction: Interaction): string {
  if (interaction.isCommand() || interaction.isAutocomplete()) return `/${interaction.commandName}`;
  if (interaction.isButton()) return 'button';
  return `type-${interaction.type}`;
}

/** Option values by name, as the commands' schemas expect them (`private: true`, `question: "…"`). */
function optionsOf(interaction: ChatInputCommandInteraction): RawOptions {
  return Object.fromEntries(interaction.options.data.map((option) => [option.name, option.value]));
}

/** The question an answer was for, as the bot read it, from its footer. */
function questionOf(message: Message): string | undefined {
  return readAnswerFooter(message.embeds[0]?.footer?.text)?.question;
}

/**
 * Choices as Discord accepts them: at most 25, names and values of 1 to 100 characters. Never an empty list,
 * which Discord shows as a bare "no options": offers what was typed instead.
 */
function withinLimits(choices: readonly Choice[], typed: string): Choice[] {
  const safe = choices
    .map((choice) => ({ name: truncate(choice.name, MAX_CHOICE_LENGTH), value: choice.value.slice(0, MAX_CHOICE_LENGTH) }))
    .filter((choice) => choice.name.length > 0 && choice.value.length > 0)
    .slice(0, MAX_CHOICES);
  if (safe.length > 0) return safe;
  const value = truncate(typed, MAX_CHOICE_LENGTH) || 'help';
  return [{ name: truncate(`No match yet for "${typed.trim()}": keep typing`, MAX_CHOICE_LENGTH), value }];
}

/** What a log line says of a reply. */
export function outcomeOf(reply: Reply): string {
  switch (reply.kind) {
    case 'answer':
      return reply.answer.answered ? 'answered' : 'abstained';
    case 'passage':
      return 'passage';
    case 'reload':
      return reply.outcome.ok ? 'reloaded' : 'reload-refused';
    case 'help':
      return 'help';
    case 'gaps':
      return `groups=${reply.report.groupCount}`;
    case 'check':
      return reply.check.quotes.length > 0 ? `quotes=${reply.check.quotes.length}` : 'not-mentioned';
    case 'setting':
      return reply.saved ? `saved=${reply.setting.mode}` : `setting=${reply.setting.mode}`;
    case 'notice':
      return reply.tone === 'refusal' ? 'refused' : reply.tone === 'error' ? 'error' : 'notice';
  }
}

/** Tells the user something went wrong, in private, by whichever way this interaction still allows. */
async function apologise(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond(withinLimits([], String(interaction.options.getFocused())));
    return;
  }
  if (!interaction.isRepliable()) return;
  const apology = renderNotice(APOLOGY, 'error', true);
  if (interaction.deferred && !interaction.replied) await interaction.editReply(toEditOptions(apology));
  else if (interaction.replied || interaction.deferred) await interaction.followUp(toReplyOptions(apology));
  else await interaction.reply(toReplyOptions(apology));
}
