import * as z from 'zod';

/** Document ids appear in citations (`bannu-siege#p5`): lowercase words joined by hyphens. */
const documentId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters and digits joined by hyphens, e.g. bannu-siege')
  .max(60, 'must be at most 60 characters');

/** The front matter of a document file. Optional fields are left out when the article does not say them. */
export const documentMetaSchema = z.strictObject({
  id: documentId,
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  source: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  published: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  author: z.string().trim().min(1, 'must not be empty').optional(),
});

const glossaryTerm = z
  .string()
  .trim()
  // An empty term is only that: saying it has no letter too would be noise.
  .min(1, { error: 'must not be empty', abort: true })
  .max(60, 'must be at most 60 characters')
  .regex(/[\p{L}\p{N}]/u, 'must contain a letter or digit');

/** `glossary.json`: groups of interchangeable terms. */
export const glossarySchema = z.strictObject({
  entries: z.array(
    z.strictObject({
      terms: z.array(glossaryTerm).min(2, 'must list at least two terms that mean the same'),
      kind: glossaryTerm.optional(),
      note: z.string().optional(),
    }),
  ),
});
