import type { Models } from '../../models';
import { appendAudit } from '../../models/audit';
import { findCandidates, hasPersonalTerms, parseQuery, type Candidate } from '../../records/search/query';
import type { SearchDoc, SearchSource } from '../../records/search/index';
import { snippetOf } from '../../records/search/snippet';
import { VOCABULARIES } from '../../contracts/vocabularies';
import type { Actor } from '../../contracts/kernel/case';
import type { SearchQuery } from './schemas';
import { ephemeralTermKey, termHash, type TermKey } from './term-hash';

/** Who is searching: whether they may see personal details, and, for a visit panel member alone, the visits they sit on. */
export interface Searcher {
  actor: Actor;
  personal: boolean;
  /** Only the cases that name this staff id among their people (a visit panel member sees only their visits). */
  onlyTheirs: boolean;
}

export const NOTHING_FOUND = 'Nothing found.';
// Candidates are read in batches in rank order until the page is full, so a filter that rejects
// many costs more batches; past this many, the rest is not looked at.
const BATCH = 100;
const MOST_READ = 2000;

/**
 * Search across every process's cases (records/search/): the query's terms, ranked candidates
 * from the index, then their records in rank order, filtered, until the page is full. Personal
 * details are neither searched nor shown for a role that may not see them, and the answer to a
 * search that found nothing says only that. A search with words or NHS numbers in it is in the
 * audit trail (record `search`) with its terms as keyed hashes (./term-hash.ts).
 */
export class SearchService {
  private readonly bySource: Map<string, SearchSource>;

  constructor(
    private readonly models: Models,
    sources: SearchSource[],
    private readonly termKey: TermKey = ephemeralTermKey(),
  ) {
    this.bySource = new Map(sources.map((s) => [s.process, s]));
  }

  async search(query: SearchQuery, who: Searcher) {
    const terms = parseQuery(query.q);
    // The audit entry is written while the index is read; no answer goes out without it (a failed write fails the search).
    const [found] = await Promise.all([findCandidates(this.models, terms, who.personal), hasPersonalTerms(terms) ? this.audit(who, terms.map((t) => t.token)) : undefined]);
    const candidates = found.filter((c) => this.bySource.has(c.process) && (!query.process || c.process === query.process));
    const wanted = (query.page - 1) * query.limit;
    const kept: { doc: SearchDoc; c: Candidate }[] = [];
    // Without a filter that only the records can answer, every candidate is kept: read only the page (and one more).
    const filtered = !!(query.provider || query.status || query.from || query.to || who.onlyTheirs);
    const start = filtered ? 0 : wanted;
    const batchSize = filtered ? BATCH : query.limit + 1;
    for (let at = start; at < Math.min(candidates.length, start + MOST_READ) && kept.length + start <= wanted + query.limit; at += batchSize) {
      const batch = candidates.slice(at, at + batchSize);
      const docs = await this.read(batch);
      for (const c of batch) {
        const doc = docs.get(`${c.process}|${c.reference}`);
        if (doc && this.passes(doc, query, who)) kept.push({ doc, c });
      }
    }
    const items = kept.slice(wanted - start, wanted - start + query.limit).map(({ doc, c }) => this.view(doc, c, who));
    return { q: query.q, items, page: query.page, more: kept.length + start > wanted + query.limit, message: items.length ? null : NOTHING_FOUND };
  }

  private async read(batch: Candidate[]): Promise<Map<string, SearchDoc>> {
    const docs = new Map<string, SearchDoc>();
    for (const [process, source] of this.bySource) {
      const refs = batch.filter((c) => c.process === process).map((c) => c.reference);
      if (refs.length) for (const doc of await source.read(this.models, refs)) docs.set(`${process}|${doc.reference}`, doc);
    }
    return docs;
  }

  private passes(doc: SearchDoc, q: SearchQuery, who: Searcher): boolean {
    if (who.onlyTheirs && !(doc.people ?? []).includes(who.actor.id)) return false;
    if (q.provider && doc.providerCode !== q.provider) return false;
    if (q.status && doc.status !== q.status && !(q.status === 'open' && doc.open)) return false;
    if (q.from && (!doc.on || doc.on < q.from)) return false;
    if (q.to && (!doc.on || doc.on > q.to)) return false;
    return true;
  }

  private view(doc: SearchDoc, c: Candidate, who: Searcher) {
    // On a tie, what was written says more than a name.
    const texts = who.personal ? [...(doc.personalText ?? []), ...doc.text, ...(doc.names ?? [])] : doc.text;
    return {
      process: doc.process as SearchQuery['process'] & string,
      reference: doc.reference,
      status: doc.status,
      providerCode: doc.providerCode ?? null,
      on: doc.on ?? null,
      title: doc.title,
      snippet: snippetOf(texts, c.matched),
      score: c.score,
      path: VOCABULARIES[doc.process]?.page(doc.reference) ?? '/',
    };
  }

  private async audit(who: Searcher, tokens: string[]) {
    const hashes = tokens.map((t) => termHash(this.termKey, t));
    await appendAudit(this.models.Audit, {
      record: 'search',
      at: new Date(),
      actor: { id: who.actor.id, name: who.actor.name },
      role: who.actor.role,
      action: `${who.personal ? 'search with personal details' : 'search (personal details not searched)'}; terms hmac-sha256 (key ${this.termKey.id}): ${hashes.join(' ')}`,
      method: 'GET',
      path: '/api/search',
    });
  }
}

