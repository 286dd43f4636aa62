import path from 'node:path';
import type { AnswerModelFile } from '../answer/combine.js';
import { projectRoot } from '../project/root.js';

/** Where the training table is kept: beside the model it makes. */
export const DEFAULT_TABLE_FILE = path.join(projectRoot(), 'model', 'training-table.json.gz');

/** The model file's text: JSON with each list of numbers on one line, so a retrained model's diff is readable. */
export function modelText(model: AnswerModelFile): string {
  return `${JSON.stringify(model, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, numbers: string) => `[${numbers.replace(/\s+/g, ' ')}]`)}\n`;
}
