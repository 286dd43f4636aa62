/** Measures how long the event loop is held while something runs, and where, and whether the program held it. */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Stall {
  /** What was running when the stall began (see `setPhase`). */
  readonly phase: string;
  readonly atMs: number;
  /** Wall-clock length of the stall. */
  readonly ms: number;
  /**
   * CPU time the JavaScript thread used during the stall (10 ms resolution), or undefined where the system does
   * not say (not Linux). A stall with little CPU is the machine descheduling the process, not the program.
   */
  readonly cpuMs: number | undefined;
}

export interface LoopDelay {
  /** The longest event-loop delay `monitorEventLoopDelay` saw, in milliseconds. */
  readonly maxMs: number;
  /** Stalls over `reportOverMs`. */
  readonly stalls: readonly Stall[];
  readonly totalMs: number;
}

/** Clock ticks per second for /proc times: 100 on every Linux this runs on. */
const TICK_MS = 10;

/** CPU time of the calling thread so far, from /proc (Linux), in milliseconds. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while measuring the event loop's delay with `monitorEventLoopDelay`, and listing the stalls over
 * `reportOverMs` with the phase that was running (set from `work`) and the thread's CPU time during each.
 */
export async function measureLoopDelay<T>(
  work: (setPhase: (phase: string) => void) => Promise<T>,
  reportOverMs = 50,
): Promise<{ result: T; delay: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let phase = 'reload';
  const stalls: Stall[] = [];
  const started = performance.now();
  let last = started;
  let lastCpu = threadCpuMs();
  let lastPhase = phase;
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    if (now - last > reportOverMs) {
      stalls.push({
        phase: lastPhase,
        atMs: Math.round(last - started),
        ms: Math.round(now - last),
        cpuMs: cpu === undefined || lastCpu === undefined ? undefined : cpu - lastCpu,
      });
    }
    last = now;
    lastCpu = cpu;
    lastPhase = phase;
  }, 5);
  // Let the monitor's timer start before the work does, or a first synchronous block goes unseen.
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  try {
    const result = await work((next) => {
      phase = next;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, delay: { maxMs: histogram.max / 1e6, stalls, totalMs: performance.now() - started } };
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
}

/**
 * The longest the program itself held the loop: the longest stall counting only the thread's CPU time in it
 * (plus one clock tick of uncertainty), or undefined when CPU times are not available.
 */
export function heldByProgramMs(delay: LoopDelay): number | undefined {
  if (delay.stalls.some((stall) => stall.cpuMs === undefined)) return undefined;
  return Math.max(0, ...delay.stalls.map((stall) => Math.min(stall.ms, (stall.cpuMs ?? 0) + TICK_MS)));
}

export function describeDelay(delay: LoopDelay): string {
  const stalls = [...delay.stalls].sort((a, b) => b.ms - a.ms).slice(0, 12);
  return `max delay ${delay.maxMs.toFixed(1)} ms over ${Math.round(delay.totalMs)} ms; longest stalls: ${
    stalls.map((stall) => `${stall.ms} ms (cpu ${stall.cpuMs ?? '?'} ms) in ${stall.phase} at ${stall.atMs} ms`).join(', ') || 'none'
  }`;
}
