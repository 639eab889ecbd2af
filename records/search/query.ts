import type { Models } from '../../models';
import { KEY_END } from '../../models/case-index';
import { namePair, searchKey, type SearchClass } from './index';
import { editDistance, nhsDigits, referenceNumber, referenceToken, trigrams, words } from './tokens';

/** One thing a query asks for: a reference, an NHS number or a word (of a name, of text). */
export type Term = { kind: 'reference' | 'number' | 'nhs' | 'word'; token: string };

const NHS_IN_TEXT = /(?<![\d])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\d])/g;

/** A query's terms: NHS numbers however typed, references whole or by number, then words. */
export function parseQuery(q: string): Term[] {
  const terms: Term[] = [];
  const rest = q.replace(NHS_IN_TEXT, (m) => {
    terms.push({ kind: 'nhs', token: nhsDigits(m)! });
    return ' ';
  });
  for (const piece of rest.split(/\s+/).filter(Boolean)) {
    const ref = referenceToken(piece);
    if (ref) terms.push({ kind: 'reference', token: ref });
    else if (/^\d{1,6}$/.test(piece)) terms.push({ kind: 'number', token: referenceNumber(`-${piece}`) });
    else for (const w of words(piece)) if (w.length >= 2 || /\d/.test(w)) terms.push({ kind: 'word', token: w });
  }
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(`${t.kind}:${t.token}`) && !!seen.add(`${t.kind}:${t.token}`));
}

/** Whether any term may name a person: a search with one is audited, its terms hashed. */
export const hasPersonalTerms = (terms: Term[]) => terms.some((t) => t.kind === 'nhs' || t.kind === 'word');

export interface Candidate {
  process: string;
  reference: string;
  score: number;
  /** The query words it matched (for the snippet's highlights). */
  matched: Set<string>;
}

/** At most this many entries of one term are read: a word that common ranks nothing. */
export const SCAN_LIMIT = 5000;
const FUZZY_AT_LEAST = 0.4;
// Misspellings are looked for only when the word's spelling itself finds few: a common name's
// trigrams would read most of the index and rank nothing higher.
const FUZZY_WHEN_FEWER = 50;

// Points for a match, by how it matched: a reference or NHS number all but settles it.
const POINTS = { reference: 100, nhs: 100, number: 40, name: 12, namePrefix: 7, nameFuzzy: 5, word: 6, wordPrefix: 3, personalWord: 6, personalWordPrefix: 3 };

async function scan(models: Models, from: string, to: string): Promise<{ token: string; process: string; reference: string }[]> {
  const rows = await models.SearchIndex.find({ _id: { $gte: from, $lt: to } }, { _id: 1 }).sort({ _id: 1 }).limit(SCAN_LIMIT).lean<{ _id: string }[]>();
  return rows.map((r) => {
    const [, token, process, reference] = r._id.split('|');
    return { token, process, reference };
  });
}
const exact = (models: Models, cls: SearchClass, token: string) => scan(models, `${searchKey(cls, token)}|`, `${searchKey(cls, token)}|${KEY_END}`);
const prefix = (models: Models, cls: SearchClass, token: string) => scan(models, `${searchKey(cls, token)}`, `${searchKey(cls, token)}${KEY_END}`);

/**
 * The cases a query's terms find, ranked: each term scores a case by its best match (a name's
 * word exactly, by its start, or misspelt: half its trigrams or more), and a case's score is the
 * sum over the terms, so word order never matters. `personal`: whether the caller may search
 * personal details; without it names, NHS numbers and what complainants wrote are not read at all.
 */
export async function findCandidates(models: Models, terms: Term[], personal: boolean): Promise<Candidate[]> {
  // Two or three words that may be one person's name are first read as a pair (`p` keys): the few
  // cases holding both, in place of every case of a common surname and its trigrams. References and
  // NHS numbers are read meanwhile; a word's own reads wait to know whether a pair found it.
  const words = terms.filter((t) => t.kind === 'word').map((t) => t.token);
  const pairing = personal && words.length >= 2 && words.length <= 3 ? pairs(models, words) : Promise.resolve(new Map<string, Hits>());
  const perTerm = await Promise.all(terms.map((term) => termHits(models, term, personal, pairing)));
  const found = new Map<string, Candidate>();
  perTerm.forEach((hits, i) => {
    for (const [id, h] of hits) {
      const c = found.get(id) ?? { process: h.process, reference: h.reference, score: 0, matched: new Set<string>() };
      c.score += h.points;
      c.matched.add(terms[i].token);
      found.set(id, c);
    }
  });
  return [...found.values()].sort((a, b) => b.score - a.score || b.reference.localeCompare(a.reference));
}

/** One term's hits: each case it finds, at the points of its best match. */
async function termHits(models: Models, term: Term, personal: boolean, pairing: Promise<Map<string, Hits>>): Promise<Hits> {
  const hits: Hits = new Map();
  const add = (rows: { token: string; process: string; reference: string }[], points: (token: string) => number) => {
    for (const r of rows) {
      const id = `${r.process}|${r.reference}`;
      const p = points(r.token);
      if ((hits.get(id)?.points ?? 0) < p) hits.set(id, { process: r.process, reference: r.reference, points: p });
    }
  };
  if (term.kind === 'reference') add(await exact(models, 'r', term.token), () => POINTS.reference);
  else if (term.kind === 'number') add(await exact(models, 'r', term.token), () => POINTS.number);
  else if (term.kind === 'nhs') {
    if (personal) add(await exact(models, 'h', term.token), () => POINTS.nhs);
  } else {
    const w = term.token;
    // A word its pair found as a name is that name: the people holding it are its hits, and it is
    // not also read as a word of text or as a name alone (at 100,000 cases those reads were two
    // thirds of a name search's, each finding nothing the pair had not).
    const paired = await pairing;
    const named = paired.get(w);
    if (named) return named;
    const [text, personalWords] = await Promise.all([prefix(models, 'w', w), personal ? prefix(models, 'x', w) : []]);
    add(text, (t) => (t === w ? POINTS.word : POINTS.wordPrefix));
    add(personalWords, (t) => (t === w ? POINTS.personalWord : POINTS.personalWordPrefix));
    if (personal) {
      const names = await prefix(models, 'n', w);
      add(names, (t) => (t === w ? POINTS.name : POINTS.namePrefix));
      if (w.length >= 4 && names.length < FUZZY_WHEN_FEWER) await fuzzy(models, w, add);
    }
  }
  return hits;
}

type Hits = Map<string, { process: string; reference: string; points: number }>;

/** The share of a word's trigrams another word holds: 1 for the word itself, 0.4 or more for a likely misspelling. */
const likeness = (grams: string[], other: string) => {
  const theirs = new Set(trigrams(other));
  return grams.filter((g) => theirs.has(g)).length / grams.length;
};

/**
 * How like a typed word a name is, 0 to 1, for a name already narrowed to a few hundred by the
 * pair's other word: its share of trigrams, or, for one or two slips (one below eight letters),
 * the share of letters not slipped: a swap, a letter missed, doubled or wrong (`mray` is 0.75 mary;
 * `jhon` 0.75 john, but 0.71 jon: a slip that keeps the length is the likelier).
 */
const nameLikeness = (word: string, grams: string[], other: string) => {
  const slips = word.length >= 8 ? 2 : 1;
  const d = editDistance(word, other, slips);
  return Math.max(likeness(grams, other), d <= slips ? 1 - (2 * d) / (word.length + other.length) : 0);
};

/**
 * Each query word's hits as one name with another query word: the pair as typed, the second word
 * whole or its start (`p|ann_smi…`), then the other way round; failing both, a misspelling of
 * either with its first letter right, judged against the other word each pair key carries
 * (`p|ann_s*` read once, nothing more) by its trigrams or its slips (nameLikeness). Resolves only the words some pair found.
 */
async function pairs(models: Models, words: string[]): Promise<Map<string, Hits>> {
  const found = new Map<string, Hits>();
  const hit = (word: string, row: { process: string; reference: string }, points: number) => {
    const hits = found.get(word) ?? new Map();
    const id = `${row.process}|${row.reference}`;
    if ((hits.get(id)?.points ?? 0) < points) hits.set(id, { process: row.process, reference: row.reference, points });
    found.set(word, hits);
  };
  const other = (token: string) => token.slice(token.indexOf('_') + 1);
  const combos = words.flatMap((a, i) => words.slice(i + 1).map((b) => [a, b] as const));
  await Promise.all(
    combos.map(async ([a, b]) => {
      // Both ways round at once; the pair as typed counts when it finds anything.
      const [ab, ba] = await Promise.all([prefix(models, 'p', namePair(a, b)), prefix(models, 'p', namePair(b, a))]);
      const [first, second, rows] = ab.length ? [a, b, ab] : [b, a, ba];
      for (const row of rows) {
        hit(first, row, POINTS.name);
        hit(second, row, other(row.token) === second ? POINTS.name : POINTS.namePrefix);
      }
      if (rows.length) return;
      // Neither way round: one of the two may be misspelt. Each word's pairs carry the other name;
      // those whose other name starts as the misspelt word does are read (a misspelling seldom
      // changes the first letter: a common first name's pairs are thousands, by one letter a few hundred).
      const tries = ([[a, b], [b, a]] as const).filter(([, second]) => second.length >= 3);
      const read = await Promise.all(tries.map(([first, second]) => prefix(models, 'p', namePair(first, second[0]))));
      tries.forEach(([first, second], k) => {
        const grams = trigrams(second);
        for (const row of read[k]) {
          const share = nameLikeness(second, grams, other(row.token));
          if (share < FUZZY_AT_LEAST) continue;
          hit(first, row, POINTS.name);
          hit(second, row, Math.round(POINTS.nameFuzzy * share * 10) / 10);
        }
      });
    }),
  );
  return found;
}

/** A misspelt name: the cases holding at least half the word's trigrams, scored by the share. */
async function fuzzy(models: Models, w: string, add: (rows: { token: string; process: string; reference: string }[], points: () => number) => void) {
  const grams = trigrams(w);
  const counts = new Map<string, { row: { token: string; process: string; reference: string }; n: number }>();
  for (const rows of await Promise.all(grams.map((g) => exact(models, 't', g)))) {
    for (const row of rows) {
      const id = `${row.process}|${row.reference}`;
      const c = counts.get(id) ?? { row, n: 0 };
      c.n += 1;
      counts.set(id, c);
    }
  }
  for (const { row, n } of counts.values()) {
    const share = n / grams.length;
    if (share >= FUZZY_AT_LEAST) add([row], () => Math.round(POINTS.nameFuzzy * share * 10) / 10);
  }
}
