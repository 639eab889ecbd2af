import { words } from './tokens';

/** A short passage of a case's text with the words a query matched marked: [start, end) offsets in `text`. */
export interface Snippet {
  text: string;
  highlights: [number, number][];
}

const WORD = /[\p{L}\p{N}'\u2019]+/gu;
const WIDTH = 140;

/**
 * The one of `texts` that holds the most of the query's words (the first of those), cut to about 140 characters around the first
 * match, with every word that starts with a query word (folded as the index folds it) marked;
 * the first text, unmarked, if none does.
 */
export function snippetOf(texts: string[], matched: Iterable<string>): Snippet | null {
  const query = [...matched];
  const hits = (text: string) =>
    [...text.matchAll(WORD)].flatMap((m) => {
      const folded = words(m[0]).join('');
      return folded && query.some((q) => folded.startsWith(q)) ? [[m.index!, m.index! + m[0].length] as [number, number]] : [];
    });
  const distinct = (text: string, marks: [number, number][]) => new Set(marks.map(([s, e]) => words(text.slice(s, e)).join(''))).size;
  const best = texts.map((text) => ({ text, marks: hits(text) })).reduce<{ text: string; marks: [number, number][] } | undefined>((a, b) => (!a || distinct(b.text, b.marks) > distinct(a.text, a.marks) ? b : a), undefined);
  if (best && best.marks.length) {
    const { text, marks } = best;
    const start = Math.max(0, Math.min(marks[0][0] - 40, text.length - WIDTH));
    const end = Math.min(text.length, start + WIDTH);
    const cut = text.slice(start, end);
    const lead = start > 0 ? '…' : '';
    return {
      text: `${lead}${cut}${end < text.length ? '…' : ''}`,
      highlights: marks.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s - start + lead.length, e - start + lead.length]),
    };
  }
  return texts[0] ? { text: texts[0].slice(0, WIDTH) + (texts[0].length > WIDTH ? '…' : ''), highlights: [] } : null;
}
