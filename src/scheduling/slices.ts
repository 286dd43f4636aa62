/**
 * Long jobs (parsing a large file, indexing, comparing corpora) are written as generators that yield between
 * small steps; these run them either straight through or in slices that give the event loop back, so a reload
 * never keeps Discord's interactions waiting.
 */

/** How long a slice may hold the event loop, in milliseconds. */
export const DEFAULT_SLICE_MILLISECONDS = 15;

/** Runs a stepwise job to its end without pausing. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a stepwise job, yielding to the event loop whenever a slice has lasted `sliceMilliseconds`. */
export async function runInSlices<T>(steps: Generator<void, T>, sliceMilliseconds = DEFAULT_SLICE_MILLISECONDS): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart > sliceMilliseconds) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
