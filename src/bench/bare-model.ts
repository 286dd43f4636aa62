/**
 * A baseline for the cold start: a bare process that loads the sentence model in its own thread, as the bot
 * does, and embeds the sentences of the corpus folder given, with no index, no cache and nothing else.
 */
import { loadCorpus } from '../corpus/load-corpus.js';
import { startWorkerEmbedder } from '../semantic/worker-embedder.js';

const corpus = await loadCorpus(process.argv[2] ?? 'corpus');
const embedder = await startWorkerEmbedder();
const sentences = corpus.documents.flatMap((document) => document.passages.flatMap(({ text, sentences: spans }) => spans.map(({ start, end }) => text.slice(start, end))));
const vectors = await embedder.embed(sentences);
console.log(`embedded ${vectors.length} sentences`);
await embedder.close();
