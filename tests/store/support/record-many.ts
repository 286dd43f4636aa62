/** A child process for the concurrency test: records `count` abstentions into the log under `dataDir`, then votes on each. */
import { QuestionLog } from '../../../src/store/question-log.js';

const [dataDir, name, count] = process.argv.slice(2) as [string, string, string];
const errors: string[] = [];
const log = QuestionLog.open({ dataDir, record: true, retentionDays: 90 }, { onError: (line) => errors.push(line) });
if (!log.status.recording) throw new Error(log.status.text);
for (let i = 0; i < Number(count); i++) {
  const question = `What did ${name} ask the ${i}th time?`;
  const id = await log.record({
    question,
    answer: { question, answered: false, quotes: [], totalQuotes: 0, offset: 0, confidence: 0.2, abstention: 'no-match', mode: 'lexical' },
    corpusVersion: 'test',
  });
  if (id === undefined || (await log.vote(id, name, 'helpful')) !== 'recorded') throw new Error(`${name}: ${errors.join('; ')}`);
}
await log.close();
