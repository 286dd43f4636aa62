import type { AnswerModelFigures } from './answer-model.js';
import type { ColdStartFigures } from './cold-start.js';
import type { InteractionFigures } from './interaction.js';
import type { CorpusFigures } from './measure-corpus.js';
import type { SemanticFigures } from './measure-semantic.js';
import type { FleetFigures, ModesFigures } from './scale.js';
import { ratio } from './stats.js';
import type { StoreFigures } from './store.js';
import type { ConversationFigures } from './conversation.js';
import type { DatabaseFigures } from './database.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly totalMemoryGb: number;
}

export interface Target {
  readonly figure: string;
  readonly target: string;
  readonly measured: string;
  /** undefined when the run did not measure it (e.g. `--quick`, or a part left out with `--only`). */
  readonly pass: boolean | undefined;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly machine: Machine;
  readonly recipe: string;
  /** Where the questions asked came from. */
  readonly questions: string;
  /** Parts left out for want of the evaluation data. */
  readonly skipped: readonly string[];
  readonly corpora: readonly CorpusFigures[];
  readonly coldStart?: ColdStartFigures | undefined;
  readonly interaction?: InteractionFigures | undefined;
  readonly semantic?: readonly SemanticFigures[] | undefined;
  readonly modes?: ModesFigures | undefined;
  readonly fleet?: FleetFigures | undefined;
  readonly store?: StoreFigures | undefined;
  readonly conversation?: ConversationFigures | undefined;
  readonly answerModel?: AnswerModelFigures | undefined;
  readonly database?: DatabaseFigures | undefined;
  readonly targets: readonly Target[];
  readonly seconds: number;
}

/** The figure a target applies to has a full-size corpus: the generated one at 100,000 passages or more. */
export const FULL_SIZE_PASSAGES = 100_000;

const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function evaluateTargets(
  corpora: readonly CorpusFigures[],
  coldStart: ColdStartFigures | undefined,
  interaction: InteractionFigures | undefined,
  modes: ModesFigures | undefined,
  fleet: FleetFigures | undefined,
  store: StoreFigures | undefined,
): Target[] {
  const squad = corpora.find((c) => c.label === 'squad');
  const generated = corpora.find((c) => c.label === 'generated');
  const big = generated && generated.passages >= FULL_SIZE_PASSAGES ? generated : undefined;
  const targets: Target[] = [];
  targets.push({
    figure: 'answer p99 / MiniSearch-defaults p99, SQuAD 2,067 passages',
    target: '<= 0.5',
    measured: squad ? `${fmt(squad.answer.p99Ratio)} (${fmt(squad.answer.ours.p99)} / ${fmt(squad.answer.baseline.p99)} ms)` : 'not measured',
    pass: squad ? squad.answer.p99Ratio <= 0.5 : undefined,
  });
  targets.push({
    figure: 'answer p99, 100,000 passages',
    target: '<= 25 ms',
    measured: big ? `${fmt(big.answer.ours.p99)} ms (MiniSearch defaults ${fmt(big.answer.baseline.p99)} ms)` : notFullSize(generated),
    pass: big ? big.answer.ours.p99 <= 25 : undefined,
  });
  targets.push({
    figure: 'reload after editing one document, 100,000 passages; share of a full build; event loop delay',
    target: '<= 2 s; <= 5 %; <= 100 ms',
    measured: big
      ? `${fmt(big.reload.editOneMs / 1000)} s; ${fmt(big.reload.editOneRatioToBuild * 100, 1)} % of ${fmt(big.build.oursMs / 1000, 1)} s; max delay ${fmt(big.reload.editOneMaxEventLoopDelayMs, 1)} ms`
      : notFullSize(generated),
    pass: big ? big.reload.editOneMs <= 2000 && big.reload.editOneRatioToBuild <= 0.05 && big.reload.editOneMaxEventLoopDelayMs <= 100 : undefined,
  });
  targets.push({
    figure: 'reload with nothing changed, 100,000 passages; event loop delay throughout',
    target: '<= 1 s; <= 100 ms',
    measured: big
      ? `${fmt(big.reload.reloadMs / 1000)} s; max delay ${fmt(big.reload.maxEventLoopDelayMs, 1)} ms (floors: idle ${fmt(big.reload.idleEventLoopDelayMs, 1)}, busy ${fmt(big.reload.busyEventLoopDelayMs, 1)} ms)`
      : notFullSize(generated),
    pass: big ? big.reload.reloadMs <= 1000 && big.reload.maxEventLoopDelayMs <= 100 : undefined,
  });
  targets.push({
    figure: 'full index build / MiniSearch addAll of the same passages, 100,000 passages',
    target: '<= 1.3',
    measured: big ? `${fmt(big.build.ratio)} (${fmt(big.build.oursMs / 1000, 1)} / ${fmt(big.build.baselineMs / 1000, 1)} s)` : notFullSize(generated),
    pass: big ? big.build.ratio <= 1.3 : undefined,
  });
  targets.push({
    figure: 'restart with an unchanged 100,000-passage corpus (index from its snapshot) / our full index build',
    target: '<= 25 %',
    measured: big
      ? `${fmt(big.restart.restartMs / 1000)} s, ${fmt(big.restart.ratioToBuild * 100, 1)} % of ${fmt(big.build.oursMs / 1000, 1)} s (${fmt(big.restart.ratioToFirstLoad * 100, 1)} % of the first load); max delay ${fmt(big.restart.maxEventLoopDelayMs, 1)} ms`
      : notFullSize(generated),
    pass: big ? big.restart.ratioToBuild <= 0.25 : undefined,
  });
  targets.push({
    figure: 'peak RSS through the reloads / RSS after load, 100,000 passages',
    target: '<= 1.3',
    measured: big ? `${fmt(big.memory.peakRssMb / big.memory.rssMb)} (${fmt(big.memory.peakRssMb, 0)} / ${fmt(big.memory.rssMb, 0)} MB)` : notFullSize(generated),
    pass: big ? big.memory.peakRssMb / big.memory.rssMb <= 1.3 : undefined,
  });
  targets.push({
    figure: 'RSS with 100,000 passages loaded',
    target: '<= 1 GB',
    measured: big ? `${fmt(big.memory.rssMb, 0)} MB (peak during reload ${fmt(big.memory.peakRssMb, 0)} MB)` : notFullSize(generated),
    pass: big ? big.memory.rssMb <= 1024 : undefined,
  });
  targets.push({
    figure: 'cold start to first console answer (ratio to node -e 0)',
    target: '<= 1 s and <= 3x node -e 0 (model off)',
    measured: coldStart ? `${fmt(coldStart.modelOffConsoleMs, 0)} ms (${fmt(coldStart.modelOffRatio, 1)}x node -e 0 at ${fmt(coldStart.nodeFloorMs, 0)} ms)` : 'not measured',
    pass: coldStart ? coldStart.modelOffConsoleMs <= 1000 && coldStart.modelOffRatio <= 3 : undefined,
  });
  targets.push({
    figure: '/ask interaction p99 / trivial command p99',
    target: '<= 1.5',
    measured: interaction ? `${fmt(interaction.p99Ratio)} (${fmt(interaction.ask.p99)} / ${fmt(interaction.trivial.p99)} ms)` : 'not measured',
    pass: interaction ? interaction.p99Ratio <= 1.5 : undefined,
  });
  targets.push({
    figure: 'HTTP mode /ask p99 / gateway mode /ask p99',
    target: '<= 1.2',
    measured: modes ? `${fmt(modes.p99Ratio)} (${fmt(modes.http.p99)} / ${fmt(modes.gateway.p99)} ms)` : 'not measured',
    pass: modes ? modes.p99Ratio <= 1.2 : undefined,
  });
  targets.push({
    figure: 'reload served by every process of four, after the moderator\'s reply',
    target: '<= 5 s',
    measured: fleet
      ? `${fmt(fleet.lastServedAfterReplyMs / 1000)} s at the latest over ${fleet.processes} processes${fleet.allServed ? '' : ', NOT all served'} (reply ${fmt(fleet.replyMs.p50, 0)} ms p50)`
      : 'not measured',
    pass: fleet ? fleet.processes >= 4 && fleet.allServed && fleet.lastServedAfterReplyMs <= 5000 : undefined,
  });
  const fullStore = store && store.recorded >= FULL_SIZE_PASSAGES ? store : undefined;
  targets.push({
    figure: '/gaps interaction with 100,000 recorded questions, slowest',
    target: '<= 1 s',
    measured: fullStore
      ? `${fmt(fullStore.gaps.max, 0)} ms (p50 ${fmt(fullStore.gaps.p50, 0)} ms; reading the rows alone ${fmt(fullStore.scanMs, 0)} ms)`
      : store
        ? `not measured (${store.recorded} recorded; run without --quick)`
        : 'not measured',
    pass: fullStore ? fullStore.gaps.max <= 1000 : undefined,
  });
  targets.push({
    figure: '/ask interaction p99, recording on minus off',
    target: '<= 1 ms',
    measured: store ? `${fmt(store.p99AddedMs)} ms (${fmt(store.askOn.p99)} vs ${fmt(store.askOff.p99)} ms)` : 'not measured',
    pass: store ? store.p99AddedMs <= 1 : undefined,
  });
  return targets;
}

/** Issue 19's targets: mention answers at /ask's latency, and the recent-answers record's memory (reported, bounded). */
export function conversationTargets(conversation: ConversationFigures | undefined): Target[] {
  return [
    {
      figure: 'mention answer p99 / /ask p99, one bot, alternating',
      target: '<= 1.2',
      measured: conversation ? `${fmt(conversation.p99Ratio)} (${fmt(conversation.mention.p99)} / ${fmt(conversation.ask.p99)} ms; p50 ${fmt(conversation.p50Ratio)})` : 'not measured',
      pass: conversation ? conversation.p99Ratio <= 1.2 : undefined,
    },
    {
      figure: 'recent-answers record at its bound',
      target: 'bounded, reported',
      measured: conversation
        ? `${fmt(conversation.record.heapMb)} MB for ${conversation.record.entries} answers (${conversation.record.bytesPerEntry} bytes each)`
        : 'not measured',
      pass: conversation ? conversation.record.entries > 0 : undefined,
    },
  ];
}

function notFullSize(generated: CorpusFigures | undefined): string {
  return generated ? `not measured (generated corpus has ${generated.passages} passages; run without --quick)` : 'not measured';
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned = true): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (i > 0 && rightAligned ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i > 0 && rightAligned ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The results as Markdown tables, for people and for the README. */
export function renderTables(results: BenchResults): string {
  const { corpora, coldStart, interaction, modes, fleet, store, machine } = results;
  const out: string[] = [];
  out.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemoryGb} GB, Node ${machine.node} (${machine.platform}); ${results.mode} run, ${Math.round(results.seconds)} s, ${results.startedAt}`,
    `Questions: ${results.questions}${results.skipped.length > 0 ? `. Left out for want of SQuAD (--data DIR): ${results.skipped.join(', ')}` : ''}`,
    '',
  );
  if (corpora.length > 0) {
    const column = (title: string, cell: (c: CorpusFigures) => string): [string, (c: CorpusFigures) => string] => [title, cell];
    const rows = [
      column('documents / passages', (c) => `${c.documents} / ${c.passages}`),
      column('questions timed after warm-up (baseline)', (c) => `${c.queries} (${c.baselineQueries})`),
      column('answer p50 ms (MiniSearch defaults)', (c) => `${fmt(c.answer.ours.p50)} (${fmt(c.answer.baseline.p50)})`),
      column('answer p99 ms (MiniSearch defaults)', (c) => `${fmt(c.answer.ours.p99)} (${fmt(c.answer.baseline.p99)})`),
      column('**answer p50 ratio ours/baseline**', (c) => fmt(c.answer.p50Ratio)),
      column('**answer p99 ratio ours/baseline**', (c) => fmt(c.answer.p99Ratio)),
      column('index build ms (MiniSearch defaults)', (c) => `${fmt(c.build.oursMs, 0)} (${fmt(c.build.baselineMs, 0)})`),
      column('index build ratio', (c) => fmt(c.build.ratio)),
      column('first load ms (read, validate, split, index)', (c) => fmt(c.reload.firstLoadMs, 0)),
      column('reload ms, nothing changed', (c) => fmt(c.reload.reloadMs, 0)),
      column('  the first after the start; the later ones, median', (c) => `${fmt(c.reload.firstReloadMs, 1)}; ${fmt(c.reload.laterReloadsMs, 1)}`),
      column('  the start\'s recent files hashed again, ms after it (in the background)', (c) => fmt(c.reload.filesTrustedMs, 0)),
      column('reload ms, one document edited (max event-loop delay ms)', (c) => `${fmt(c.reload.editOneMs, 0)} (${fmt(c.reload.editOneMaxEventLoopDelayMs, 1)})`),
      column('  one-document reload / our full build', (c) => fmt(c.reload.editOneRatioToBuild, 3)),
      column('restart ms, index from its snapshot (max event-loop delay ms)', (c) => `${fmt(c.restart.restartMs, 0)} (${fmt(c.restart.maxEventLoopDelayMs, 1)})`),
      column('  restart / our full build; / first load', (c) => `${fmt(c.restart.ratioToBuild, 3)}; ${fmt(c.restart.ratioToFirstLoad, 3)}`),
      column('  restart after editing one document ms; / our full build', (c) => `${fmt(c.restart.editOneMs, 0)}; ${fmt(c.restart.editOneRatioToBuild, 3)}`),
      column('  snapshot MB (save ms, in the background)', (c) => `${fmt(c.restart.snapshotMb, 1)} (${fmt(c.restart.saveMs, 0)})`),
      column('reload / MiniSearch-defaults build', (c) => fmt(c.reload.reloadRatioToBaselineBuild)),
      column('max event-loop delay in reload ms (median of reloads)', (c) => `${fmt(c.reload.maxEventLoopDelayMs, 1)} (${fmt(c.reload.medianReloadMaxDelayMs, 1)})`),
      column('  floors: idle / busy 15 ms slices', (c) => `${fmt(c.reload.idleEventLoopDelayMs, 1)} / ${fmt(c.reload.busyEventLoopDelayMs, 1)}`),
      column('heap MB after load (before)', (c) => `${fmt(c.memory.heapMb, 0)} (${fmt(c.memory.heapBeforeMb, 0)})`),
      column('RSS MB after load (before)', (c) => `${fmt(c.memory.rssMb, 0)} (${fmt(c.memory.rssBeforeMb, 0)})`),
      column('peak RSS MB through reloads', (c) => fmt(c.memory.peakRssMb, 0)),
      column('heap MB per 1,000 passages (MiniSearch defaults index)', (c) => `${fmt(c.memory.heapPer1000PassagesMb)} (${fmt(c.memory.baselineHeapPer1000PassagesMb)})`),
      column('RSS MB per 1,000 passages', (c) => fmt(c.memory.rssPer1000PassagesMb)),
    ];
    out.push(table(['per corpus', ...corpora.map((c) => c.label)], rows.map(([title, cell]) => [title, ...corpora.map(cell)])), '');
  }
  const other: string[][] = [];
  if (coldStart) {
    other.push([
      'cold start to first console answer (npm run console), median ms',
      `${fmt(coldStart.consoleMs, 0)} (max ${fmt(coldStart.consoleMaxMs, 0)})`,
      `node -e 0: ${fmt(coldStart.nodeFloorMs, 0)}`,
      fmt(coldStart.ratio, 1),
    ]);
    other.push(['  the same, against node --import tsx -e 0', fmt(coldStart.consoleMs, 0), `${fmt(coldStart.tsxLoaderFloorMs, 0)}`, fmt(coldStart.tsxLoaderRatio, 1)]);
    other.push(['  the console through the tsx command, against node -e 0', fmt(coldStart.tsxCliConsoleMs, 0), `${fmt(coldStart.nodeFloorMs, 0)}`, fmt(coldStart.tsxCliRatio, 1)]);
    other.push(['  the console, warm vector cache, against a bare process loading the model and embedding', fmt(coldStart.consoleMs, 0), fmt(coldStart.bareModelMs, 0), fmt(coldStart.bareModelRatio, 2)]);
    other.push(['  the console with EMBEDDINGS=off, against node -e 0', fmt(coldStart.modelOffConsoleMs, 0), fmt(coldStart.nodeFloorMs, 0), fmt(coldStart.modelOffRatio, 1)]);
    other.push(['  the console, empty vector cache (first start)', fmt(coldStart.coldCacheConsoleMs, 0), '', '']);
  }
  if (interaction) {
    other.push([
      `interaction p50 ms, /ask vs trivial (${interaction.count} each)`,
      fmt(interaction.ask.p50),
      fmt(interaction.trivial.p50),
      fmt(interaction.p50Ratio),
    ]);
    other.push(['interaction p99 ms, /ask vs trivial', fmt(interaction.ask.p99), fmt(interaction.trivial.p99), fmt(interaction.p99Ratio)]);
  }
  if (modes) {
    other.push([`/ask p50 ms, HTTP mode vs gateway (${modes.count} each)`, fmt(modes.http.p50), fmt(modes.gateway.p50), fmt(modes.p50Ratio)]);
    other.push(['/ask p99 ms, HTTP mode vs gateway', fmt(modes.http.p99), fmt(modes.gateway.p99), fmt(modes.p99Ratio)]);
  }
  if (fleet) {
    other.push([
      `/reload to reply p50 ms, ${fleet.processes} processes vs one Library.reload (${fleet.reloads} each)`,
      fmt(fleet.replyMs.p50, 0),
      fmt(fleet.singleReloadMs.p50, 0),
      fmt(fleet.replyRatio),
    ]);
    other.push(['  every process seen serving it, ms after the reply (latest)', fmt(fleet.lastServedAfterReplyMs, 0), '', '']);
  }
  if (store) {
    other.push([
      `/gaps p50 ms with ${store.recorded} questions, vs reading the rows alone`,
      `${fmt(store.gaps.p50, 0)} (max ${fmt(store.gaps.max, 0)})`,
      fmt(store.scanMs, 0),
      fmt(store.gapsRatioToScan, 1),
    ]);
    other.push([`/ask p50 ms, recording on vs off (${store.askOn.count} each)`, fmt(store.askOn.p50), fmt(store.askOff.p50), fmt(ratio(store.askOn.p50, store.askOff.p50))]);
    other.push(['/ask p99 ms, recording on vs off', fmt(store.askOn.p99), fmt(store.askOff.p99), fmt(ratio(store.askOn.p99, store.askOff.p99))]);
    other.push(['  the write alone (QuestionLog.record), p50 / p99 ms', `${fmt(store.record.p50, 3)} / ${fmt(store.record.p99, 3)}`, '', '']);
  }
  const { database } = results;
  if (database) {
    other.push([`/ask p50 ms, recording to PostgreSQL vs SQLite (${database.askPostgres.count} each)`, fmt(database.askPostgres.p50), fmt(database.askSqlite.p50), fmt(ratio(database.askPostgres.p50, database.askSqlite.p50))]);
    other.push(['/ask p99 ms, recording to PostgreSQL vs SQLite', fmt(database.askPostgres.p99), fmt(database.askSqlite.p99), fmt(database.p99Ratio)]);
    other.push([`/gaps p50 ms with ${database.recorded} questions on PostgreSQL`, `${fmt(database.gaps.p50, 0)} (max ${fmt(database.gaps.max, 0)})`, '', '']);
    other.push([
      `/reload to reply p50 ms, ${database.fleet.processes} processes on one database vs one Library.reload`,
      fmt(database.fleet.replyMs.p50, 0),
      fmt(database.fleet.singleReloadMs.p50, 0),
      fmt(database.fleet.replyRatio),
    ]);
  }
  if (other.length > 0) out.push(table(['process and Discord', 'ours', 'baseline', 'ratio'], other), '');
  if (results.semantic && results.semantic.length > 0) {
    const rows = results.semantic.map((s) => [
      `${s.label} (${s.passages} passages, ${s.vectors})`,
      `${fmt(s.answer.ours.p50)} / ${fmt(s.answer.ours.p99)}`,
      `${fmt(s.answer.floor.p50)} / ${fmt(s.answer.floor.p99)}`,
      fmt(s.answer.p99Ratio),
      fmt(s.vectorsReadyMs, 0),
      fmt(s.rssMb, 0),
    ]);
    out.push(table(['fused answers (ms)', 'ours p50 / p99', 'floor p50 / p99', 'p99 ratio', 'vectors ready ms', 'RSS MB'], rows), '');
  }
  if (results.answerModel) out.push(renderAnswerModel(results.answerModel), '');
  out.push(
    table(
      ['target', 'wanted', 'measured', 'result'],
      results.targets.map((t) => [t.figure, t.target, t.measured, t.pass === undefined ? 'not measured' : t.pass ? 'PASS' : 'MISS']),
      false,
    ),
    '',
    `Generated corpus: ${results.recipe}`,
  );
  return out.join('\n');
}

/** The learned engine against the landed one: answer latency per corpus and mode, cold start, model file size. */
function renderAnswerModel(figures: AnswerModelFigures): string {
  const size = `model file ${fmt(figures.modelFileBytes / 1024 / 1024)} MB`;
  if (figures.skipped) return `Answer model against the landed engine (${figures.baseline}): left out, ${figures.skipped}; ${size}.`;
  const rows = figures.series.map((s) => [
    `${s.corpus} (${s.passages} passages), ${s.mode}, ${s.learned.count} questions`,
    `${fmt(s.learned.p50)} / ${fmt(s.learned.p99)}`,
    `${fmt(s.landed.p50)} / ${fmt(s.landed.p99)}`,
    fmt(s.p50Ratio),
    fmt(s.p99Ratio),
  ]);
  const cold = figures.coldStart;
  if (cold) {
    for (const [mode, pair] of [['fused', cold.fused], ['EMBEDDINGS=off', cold.lexical]] as const) {
      rows.push([`cold start to first console answer, ${mode}, median of ${cold.runs}`, fmt(pair.learnedMs, 0), fmt(pair.landedMs, 0), fmt(pair.ratio), '']);
    }
  }
  return [
    table([`answer ms: learned engine vs landed (${figures.baseline}, ${figures.commit?.slice(0, 12) ?? ''})`, 'learned p50 / p99', 'landed p50 / p99', 'p50 ratio', 'p99 ratio'], rows),
    '',
    `Answer model: ${size}.`,
  ].join('\n');
}

/** The shared PostgreSQL store's targets (issue 20). */
export function databaseTargets(database: DatabaseFigures | undefined): Target[] {
  const full = database && database.recorded >= FULL_SIZE_PASSAGES ? database : undefined;
  return [
    {
      figure: '/ask p99 recording to PostgreSQL / recording to SQLite',
      target: '<= 1.1',
      measured: database ? `${fmt(database.p99Ratio)} (${fmt(database.askPostgres.p99)} / ${fmt(database.askSqlite.p99)} ms)` : 'not measured',
      pass: database ? database.p99Ratio <= 1.1 : undefined,
    },
    {
      figure: 'reload served by every process after the reply, 3 processes and 1 database',
      target: '<= 2 s',
      measured: database
        ? `${fmt(database.fleet.lastServedAfterReplyMs / 1000)} s at the latest over ${database.fleet.processes} processes${database.fleet.allServed ? '' : ', NOT all served'} (reply ${fmt(database.fleet.replyMs.p50, 0)} ms p50)`
        : 'not measured',
      pass: database ? database.fleet.processes >= 3 && database.fleet.allServed && database.fleet.lastServedAfterReplyMs <= 2000 : undefined,
    },
    {
      figure: '/gaps with 100,000 recorded questions on PostgreSQL, slowest',
      target: '<= 1 s',
      measured: full ? `${fmt(full.gaps.max, 0)} ms (p50 ${fmt(full.gaps.p50, 0)} ms)` : database ? `not measured (${database.recorded} recorded; run without --quick)` : 'not measured',
      pass: full ? full.gaps.max <= 1000 : undefined,
    },
    {
      figure: 'kill -9 of a replica mid-write: acknowledged votes lost; database sound',
      target: '0; no repair',
      measured: database ? `${database.lostVotes} of ${database.acknowledgedVotes}; ${database.soundAfterKill ? 'read as usual after' : 'NOT readable after'}` : 'not measured',
      pass: database ? database.acknowledgedVotes > 0 && database.lostVotes === 0 && database.soundAfterKill : undefined,
    },
  ];
}
