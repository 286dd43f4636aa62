/**
 * A replica's writes, for the bench's kill -9 measurement (`database.ts`): records questions and votes on them in
 * the PostgreSQL database at argv[2] as `/ask` and the feedback buttons do, and prints `ack <answer id>` for each
 * vote once `QuestionLog.vote` resolved 'recorded' (the moment the member is thanked), until it is killed.
 */
import { PostgresBackend } from '../store/postgres-backend.js';
import { QuestionLog } from '../store/question-log.js';

const url = process.argv[2];
if (url === undefined) {
  console.error('bench: vote-writer.ts is started by src/bench/database.ts');
  process.exit(2);
}
const backend = await PostgresBackend.connect(url, { log: (line) => console.error(line) });
const log = QuestionLog.on(backend, { record: true, retentionDays: 90 });
for (let i = 0; ; i++) {
  const question = `Was the ${i}th checkpoint reopened?`;
  const answerId = await log.record({
    question,
    answer: { question, answered: false, quotes: [], totalQuotes: 0, offset: 0, confidence: 0.2, abstention: 'no-match', mode: 'lexical' },
    corpusVersion: 'bench',
  });
  if (answerId !== undefined && (await log.vote(answerId, `member-${i}`, 'wrong')) === 'recorded') process.stdout.write(`ack ${answerId}\n`);
}
