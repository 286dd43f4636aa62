/**
 * `npm run readme-examples`: runs every example of the README through the real programs and says which no longer
 * show what the programs print, and which claims ("… finds …") no longer hold. With `--write`, rewrites the
 * examples' blocks in README.md from this run (the claims are prose: they are reported, to be reworded by hand).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { firstQuotes, holdsClaim, makeExamples, parseReadme, README, withExamples } from './examples.js';

const { values: args } = parseArgs({ options: { write: { type: 'boolean', default: false } } });

async function main(): Promise<number> {
  const text = await readFile(README, 'utf8');
  const { examples, claims } = parseReadme(text);
  const [made, quotes] = await Promise.all([makeExamples(examples), firstQuotes(claims)]);
  const stale = examples.filter((example, i) => example.shown !== made[i]);
  for (const example of stale) {
    const line = text.slice(0, example.start).split('\n').length;
    process.stdout.write(`README.md line ${line}: the ${example.kind} example ${args.write ? 'is rewritten' : 'differs'}; now:\n${made[examples.indexOf(example)]}\n`);
  }
  const wrong = claims.filter((claim, i) => !holdsClaim(quotes[i], claim.finds));
  for (const claim of wrong) {
    const quote = quotes[claims.indexOf(claim)];
    process.stdout.write(`README.md line ${claim.line}: "${claim.question}" does not find "${claim.finds}": ${quote === undefined ? 'it abstains' : `the first quote is "${quote}"`}\n`);
  }
  if (args.write && stale.length > 0) await writeFile(README, withExamples(text, examples, made));
  process.stdout.write(
    `${examples.length} example(s), ${claims.length} claim(s): ${stale.length} example(s) ${args.write ? 'rewritten' : 'stale (npm run readme-examples -- --write rewrites them)'}, ${wrong.length} claim(s) to reword by hand.\n`,
  );
  return wrong.length > 0 || (!args.write && stale.length > 0) ? 1 : 0;
}

process.exitCode = await main();
