/**
 * Whether a quote holds the evidence a question's answer must quote, compared as the shared chat set's README says:
 * after Unicode NFKC, straight quotes and dashes, collapsed spaces and lower case (evidence is typed with straight
 * quotes; the articles use curly ones).
 */
export function normaliseEvidence(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Whether `text` contains one of the evidence strings. */
export function holdsEvidence(text: string, evidence: readonly string[]): boolean {
  const normalised = normaliseEvidence(text);
  return evidence.some((expected) => normalised.includes(normaliseEvidence(expected)));
}
