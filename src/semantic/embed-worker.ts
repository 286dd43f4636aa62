/**
 * The embedding thread: loads the model and embeds what the main thread sends, so that the model's WebAssembly,
 * which runs each batch in one go, never holds the event loop that answers Discord.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadUseLite } from './use-lite.js';

/** From the main thread: texts to embed, with a request id. */
export interface EmbedRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

/** To the main thread: first `ready` or `failed`, then one `vectors` or `error` per request. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly modelId: string; readonly dimensions: number }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'vectors'; readonly id: number; readonly vectors: Float32Array[] }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** What the main thread passes when it starts the thread. */
export interface EmbedWorkerData {
  readonly weightsFolder?: string | undefined;
}

const port = parentPort!;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

try {
  const model = await loadUseLite((workerData as EmbedWorkerData).weightsFolder);
  // One batch at a time, in the order sent: the main thread decides what goes first.
  let queue = Promise.resolve();
  port.on('message', (request: EmbedRequest) => {
    queue = queue.then(() =>
      model.embed(request.texts).then(
        (vectors) => post({ kind: 'vectors', id: request.id, vectors }, vectors.map((vector) => vector.buffer as ArrayBuffer)),
        (error: unknown) => post({ kind: 'error', id: request.id, message: (error as Error).message }),
      ),
    );
  });
  post({ kind: 'ready', modelId: model.modelId, dimensions: model.dimensions });
} catch (error) {
  post({ kind: 'failed', message: (error as Error).message });
}
