import type mongoose from 'mongoose';
import type { Models } from '../../models';
import { addIndexKeys, indexKey, removeIndexKeys } from '../../models/case-index';
import { nameWords, referenceNumber, trigrams, words } from './tokens';

/**
 * The search index: one tiny document per token a case holds, whose `_id` is
 * `<class>|<token>|<process>|<reference>` (`n|oneill|complaint|CMP-2026-000123`), in its own
 * collection (`search_index`). A term is then a range of `_id` (a word's exact key, or every key
 * starting with it for a prefix), which MongoDB and the patched FerretDB answer from the primary
 * index, as they do the case index: no $text, no aggregation.
 *
 * Classes a role without sight of personal details never reads (PERSONAL): names (`n`), each pair
 * of one name's words in both orders (`p`: `p|ann_smith|…` and `p|smith_ann|…`, so a search by two
 * names reads the few cases holding both, not every case of a common surname), their
 * trigrams for misspellings (`t`), NHS numbers as ten digits (`h`), words of what the complainant
 * wrote (`x`), and the identities intake matches on (`i`). Everyone reads references (`r`: the
 * reference and its number alone) and the words of what staff wrote about providers and services (`w`).
 *
 * The records hold personal details as plain fields (models/complaint.ts: they are not encrypted at
 * rest), so the index holds the tokens as they are, no more readable than the records it is built
 * from; were the records encrypted, these would have to become keyed hashes of the same tokens.
 */
export const SEARCH_CLASSES = { reference: 'r', word: 'w', name: 'n', namePair: 'p', trigram: 't', nhs: 'h', personalWord: 'x', identity: 'i' } as const;
export type SearchClass = (typeof SEARCH_CLASSES)[keyof typeof SEARCH_CLASSES];
export const PERSONAL: readonly SearchClass[] = ['n', 'p', 't', 'h', 'x', 'i'];

/** What a case offers search: written by each process's reader (records/<p>/search.ts) from its records. */
export interface SearchDoc {
  process: string;
  reference: string;
  status: string;
  /** Whether its status is one of its process's open ones (the `open` filter). */
  open: boolean;
  providerCode?: string;
  /** The case's own day (received, visited, live, opened): what the from/to filters compare. */
  on?: string;
  /** What anyone may read: a line naming the case without personal details. */
  title: string;
  /** Searchable text anyone may read (provider, service, an action's description). */
  text: string[];
  /** People's names (complainant, patient, representative): personal. */
  names?: string[];
  /** NHS numbers as ten digits: personal. */
  nhs?: string[];
  /** What the complainant wrote and notes about them: personal. */
  personalText?: string[];
  /** Who the case is about, as intake matches it (records/complaint/related.ts): personal. */
  identity?: string[];
  /** Staff who may see the case whatever their role would not (a visit's panel). */
  people?: string[];
}

/** How a process's cases are read for the index and for the results. */
export interface SearchSource {
  process: string;
  // Any model: the index reads and writes only `searchKeys` on it.
  model(models: Models): mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The cases' documents, in the order asked; a reference with no record has none. */
  read(models: Models, references: string[]): Promise<SearchDoc[]>;
}

// A word longer than this is not a word anyone types (a link, a pasted code).
const LONGEST = 40;
const STOP = new Set(['a', 'an', 'and', 'the', 'of', 'to', 'in', 'on', 'for', 'at', 'by', 'is', 'was', 'it', 'be', 'as', 'or', 'with', 'that', 'this', 'from', 'her', 'his', 'she', 'he', 'they', 'their', 'not', 'no', 'we', 'i']);
const textWords = (texts: (string | undefined)[]) => [...new Set(texts.flatMap(words))].filter((w) => w.length <= LONGEST && !STOP.has(w));

/** The token of two words of one name, the first as the prefix a search reads by. */
export const namePair = (first: string, other: string) => `${first}_${other}`;

export function searchKey(cls: SearchClass, token: string, process?: string, reference?: string): string {
  return indexKey(cls, token, ...(process ? [process] : []), ...(reference ? [reference] : []));
}

/** Every key a case is indexed under, each once. */
export function searchKeysOf(doc: SearchDoc): string[] {
  const key = (cls: SearchClass, token: string) => searchKey(cls, token, doc.process, doc.reference);
  const people = (doc.names ?? []).map((n) => nameWords(n).filter((w) => w.length <= LONGEST));
  const names = [...new Set(people.flat())];
  const keys = [
    key('r', doc.reference),
    key('r', referenceNumber(doc.reference)),
    ...textWords(doc.text).map((w) => key('w', w)),
    ...names.map((w) => key('n', w)),
    ...people.flatMap((ws) => ws.flatMap((a) => ws.filter((b) => b !== a).map((b) => key('p', namePair(a, b))))),
    ...[...new Set(names.flatMap(trigrams))].map((g) => key('t', g)),
    ...(doc.nhs ?? []).map((n) => key('h', n)),
    ...textWords(doc.personalText ?? []).map((w) => key('x', w)),
    ...(doc.identity ?? []).map((i) => key('i', i)),
  ];
  return [...new Set(keys)];
}

/**
 * Bring a case's entries in the search index up to its records: read what the process offers
 * search, add the entries it lacks, remove those it no longer has, then name them on the record
 * (`searchKeys`). Every step is keyed, so a retry, or a crash at any point then a retry, ends the
 * same; it reads the records, not the change that led here, so an older projection arriving late
 * writes what the records say now. Called from the projection (activities/kernel/project.ts), the
 * reconciler's repair and `npm run reindex` (`all`). Resolves the keys the case is now under.
 */
export async function indexCase(models: Models, source: SearchSource, reference: string, opts: { all?: boolean; had?: string[] } = {}): Promise<string[]> {
  const model = source.model(models);
  // `had`: the keys the record named as the caller read it a moment ago (the commit reads the
  // record anyway), so it is not read again.
  const [current, [doc]] = await Promise.all([
    opts.had ? { searchKeys: opts.had } : model.findById(reference, { searchKeys: 1 }).lean<{ searchKeys?: string[] }>(),
    source.read(models, [reference]),
  ]);
  if (!current || !doc) return [];
  const keys = searchKeysOf(doc);
  const had = current.searchKeys ?? [];
  // The entries a record names are there (each was added before it was named), unless `all`: a
  // rebuild or a repair that does not trust that (an entry lost with a restored backup).
  await addIndexKeys(models.SearchIndex, opts.all ? keys : keys.filter((k) => !had.includes(k)));
  await removeIndexKeys(models.SearchIndex, had.filter((k) => !keys.includes(k)));
  if (had.length !== keys.length || had.some((k, i) => k !== keys[i])) {
    // Keys the caller read a moment ago are named only if the record still names them: another
    // writer (a reindex, a reconciler's repair) may have moved them since, and its entries, not
    // removed here, would be left in the index with nothing naming them (a name the case no
    // longer holds, still found). Then again, from the record as it is now.
    const named = await model.updateOne({ _id: reference, ...(opts.had && naming(had)) }, { $set: { searchKeys: keys } }, { timestamps: false });
    if (opts.had && !named.matchedCount) return indexCase(models, source, reference, { all: opts.all });
  }
  return keys;
}

/** A filter matching a record whose `searchKeys` are exactly `keys` (none: empty or absent). */
function naming(keys: string[]): Record<string, unknown> {
  return keys.length ? { searchKeys: keys } : { $or: [{ searchKeys: { $exists: false } }, { searchKeys: { $size: 0 } }] };
}
