/**
 * How words become search tokens, one function for what is indexed and what is asked: case and
 * accents folded (Zoë is zoe), apostrophes dropped inside a word (O'Neill is oneill), anything
 * else not a letter or digit a break between words. Tokens are [a-z0-9] only, so they are parts
 * of a case-index-style key as they are.
 */
export function words(text: string | null | undefined): string[] {
  if (!text) return [];
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[\u2019'`]/g, '');
  return folded.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/** A name's words, each once, in order: word order never matters to a search. */
export const nameWords = (name: string | null | undefined) => [...new Set(words(name))];

/** A word's trigrams, padded at both ends (`_sm`, `smi`, …, `th_`), so short words and word starts count too. */
export function trigrams(word: string): string[] {
  const padded = `_${word}_`;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return [...grams];
}

/**
 * The optimal-string-alignment distance between two words (insertions, deletions, substitutions
 * and swaps of two neighbouring letters, each 1: `tmoasz` is 1 from `tomasz`), or `most + 1` as
 * soon as it must be more than `most`. A swap is the commonest slip in a typed name, and it
 * breaks most of a short word's trigrams: `mray` shares none but `_m` with `mary`.
 */
export function editDistance(a: string, b: string, most: number): number {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    if (Math.min(...row) > most) return most + 1;
    [before, previous] = [previous, row];
  }
  return Math.min(previous[b.length], most + 1);
}

/** An NHS number as its ten digits, however it was typed (`943 476 5919`, `943-476-5919`), or undefined. */
export function nhsDigits(text: string | null | undefined): string | undefined {
  const digits = (text ?? '').replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/** A reference (`CMP-2026-000123`) in upper case, or undefined. */
export function referenceToken(text: string): string | undefined {
  const m = /^([a-z]{3})-(\d{4})-(\d{1,6})$/i.exec(text.trim());
  return m ? `${m[1].toUpperCase()}-${m[2]}-${m[3].padStart(6, '0')}` : undefined;
}

/** The number of a reference without its leading zeros (`CMP-2026-000123` is `123`): what people say on the phone. */
export const referenceNumber = (reference: string) => String(Number(reference.slice(reference.lastIndexOf('-') + 1)));
