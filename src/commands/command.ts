import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type * as z from 'zod';
import type { Answer, PassageView } from '../answer/types.js';
import type { Library } from '../library/library.js';
import type { ReloadOutcome } from '../library/reload-report.js';
import type { CorpusOverview } from '../library/overview.js';
import type { FleetReload, Peers } from '../fleet/peers.js';
import type { ClaimCheck } from '../check/claims.js';
import type { GapsReport, QuestionLog } from '../store/question-log.js';
import type { ConversationSetting, ServerSettings } from '../store/server-settings.js';

/** Option values as a transport hands them over: by option name, before validation. */
export type RawOptions = Readonly<Record<string, string | number | boolean | undefined>>;

/** Who runs a command. Each transport decides `isModerator` from what it knows (Discord: permissions and roles). */
export interface Invoker {
  readonly id: string;
  readonly isModerator: boolean;
}

export interface CommandContext {
  readonly library: Library;
  readonly invoker: Invoker;
  /** The other processes serving this bot, when there are any: a reload reaches them too. */
  readonly peers?: Peers | undefined;
  /** Where questions and votes are recorded, and `/gaps` reads them; absent where nothing is kept. */
  readonly questions?: QuestionLog | undefined;
  /** The server the command runs in, recorded with a question; absent in the console and in DMs. */
  readonly guildId?: string | undefined;
  /** The channel it runs in, where the transport has channels. */
  readonly channelId?: string | undefined;
  /** Each server's settings (where the bot answers in the conversation); absent where there are none (the console). */
  readonly settings?: ServerSettings | undefined;
  /** Whether this transport sees messages (the gateway), so mentions, replies and DMs are answered; not HTTP mode. */
  readonly readsMessages?: boolean | undefined;
}

/**
 * What a command answers, independent of where it is shown: the console and Discord renderers turn it into text
 * or a message. `private` asks the transport to show it only to the person who asked.
 */
export type Reply =
  | {
      readonly kind: 'answer';
      readonly answer: Answer;
      readonly private: boolean;
      /** The recorded answer's id, for its feedback buttons; absent when nothing is recorded. */
      readonly feedback?: number | undefined;
      /** When the question was a follow-up read in the light of an earlier answer: as asked, and how deep in its chain. */
      readonly followUp?: FollowUp | undefined;
    }
  | { readonly kind: 'passage'; readonly view: PassageView; readonly private: boolean }
  | { readonly kind: 'reload'; readonly outcome: ReloadOutcome; readonly fleet?: FleetReload | undefined; readonly private: boolean }
  | {
      readonly kind: 'help';
      readonly overview: CorpusOverview;
      readonly private: boolean;
      readonly recording?: string | undefined;
      /** On Discord: whether @mentions, replies and DMs are answered by this process (not in HTTP mode). */
      readonly conversation?: boolean | undefined;
    }
  | { readonly kind: 'gaps'; readonly report: GapsReport; readonly private: boolean }
  | { readonly kind: 'check'; readonly check: ClaimCheck; readonly private: boolean }
  | { readonly kind: 'setting'; readonly setting: ConversationSetting; readonly saved: boolean; readonly private: boolean }
  | { readonly kind: 'notice'; readonly tone: NoticeTone; readonly text: string; readonly private: boolean };

export type NoticeTone = 'info' | 'refusal' | 'error';

/** A follow-up as asked ("and when?"), and its place in a chain of follow-ups (1 for a reply to a first answer). */
export interface FollowUp {
  readonly asked: string;
  readonly depth: number;
}

/** An autocomplete suggestion, within Discord's limits (name and value up to 100 characters). */
export interface Choice {
  readonly name: string;
  readonly value: string;
}

/**
 * A slash command: its Discord definition, its options' schema (applied once, by `runCommand`), and a handler
 * that returns a `Reply` instead of talking to any transport.
 */
export interface Command<Options = unknown> {
  readonly name: string;
  readonly definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  readonly options: z.ZodType<Options>;
  /** Refused at run time for invokers who are not moderators, whatever the transport's defaults say. */
  readonly moderatorOnly: boolean;
  execute(options: Options, context: CommandContext): Promise<Reply> | Reply;
  /** Suggestions for the option being typed; answered from memory, without waiting on anything slow. */
  autocomplete?(focused: { readonly name: string; readonly value: string }, context: CommandContext): Choice[];
}
