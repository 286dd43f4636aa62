import type { Glossary } from '../corpus/types.js';
import { tokenize } from './analyzer.js';

/**
 * A glossary entry as stem sequences, stop words kept ("took over" is not "took"): each term of the entry is one
 * way of saying the same thing.
 */
export interface AliasGroup {
  readonly terms: readonly string[];
  readonly forms: readonly (readonly string[])[];
}

/**
 * Finds glossary terms inside an analysed question, longest first, so that "Pakistani Taliban" is recognised as
 * one term before "Taliban" alone.
 */
export class GlossaryLookup {
  private readonly groupsByFirstStem = new Map<string, { form: readonly string[]; group: AliasGroup }[]>();

  constructor(glossary: Glossary) {
    for (const entry of glossary.entries) {
      const forms = uniqueForms(entry.terms.map((term) => tokenize(term).map((token) => token.stem)));
      const group: AliasGroup = { terms: entry.terms, forms };
      for (const form of forms) {
        const first = form[0];
        if (first === undefined) continue;
        const list = this.groupsByFirstStem.get(first) ?? [];
        list.push({ form, group });
        list.sort((a, b) => b.form.length - a.form.length);
        this.groupsByFirstStem.set(first, list);
      }
    }
  }

  /** The longest glossary term starting at `index` of `stems`, with its group, if any. */
  matchAt(stems: readonly string[], index: number): { length: number; group: AliasGroup } | undefined {
    for (const { form, group } of this.groupsByFirstStem.get(stems[index] ?? '') ?? []) {
      if (form.every((stem, offset) => stems[index + offset] === stem)) return { length: form.length, group };
    }
    return undefined;
  }
}

function uniqueForms(forms: readonly (readonly string[])[]): (readonly string[])[] {
  const seen = new Set<string>();
  return forms.filter((form) => {
    const key = form.join(' ');
    if (form.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
