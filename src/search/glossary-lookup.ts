import type { Glossary } from '../corpus/types.js';
import { isStopStem, tokenize } from './analyzer.js';

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
  private readonly groupsByHead = new Map<string, Set<AliasGroup>>();

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
        const head = form.findLast((stem) => !isStopStem(stem));
        if (form.length > 1 && head !== undefined) {
          this.groupsByHead.set(head, (this.groupsByHead.get(head) ?? new Set()).add(group));
        }
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

  /**
   * The one group having a several-word term whose head (its last word) is `stem`: "station" alone stands for
   * "police station" and so for its aliases. Undefined when no group, or more than one, has such a term.
   */
  groupHeadedBy(stem: string): AliasGroup | undefined {
    const groups = this.groupsByHead.get(stem);
    return groups?.size === 1 ? [...groups][0] : undefined;
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
