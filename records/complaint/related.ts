import type { Models } from '../../models';
import { findByIds, keysInRange, prefixRange, referenceOf } from '../../models/case-index';
import { COMPLAINT } from '../../contracts/complaint/definitions';
import { searchKey } from '../search/index';
import { nameWords, nhsDigits } from '../search/tokens';

/**
 * "Has this person complained before?": the first thing a complaints manager checks when a
 * complaint arrives. A complaint is possibly related to another when the same patient (their NHS
 * number, or their name and date of birth) or the same complainant (their name) is on both, and
 * they were received within 24 months of each other. Shown, never blocking; linking is a choice.
 */
export const RELATED_WITHIN_MONTHS = 24;
export const RELATED_LINK = 'related_complaint';

type Person = { name?: string | null; dateOfBirth?: string | null; nhsNumber?: string | null } | null | undefined;
export type Match = 'nhs' | 'patient' | 'complainant';

const PREFIX: Record<Match, string> = { nhs: 'nhs:', patient: 'pdob:', complainant: 'cn:' };
const joined = (name: string | null | undefined) => nameWords(name).sort().join('_');

/** Who a complaint is about, as identity tokens of the search index (class `i`). */
export function complaintIdentity(c: { complainant?: Person; patient?: Person }): string[] {
  const out: string[] = [];
  const nhs = nhsDigits(c.patient?.nhsNumber);
  if (nhs) out.push(`${PREFIX.nhs}${nhs}`);
  const patient = joined(c.patient?.name);
  if (patient && c.patient?.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(c.patient.dateOfBirth)) out.push(`${PREFIX.patient}${c.patient.dateOfBirth}:${patient}`);
  const complainant = joined(c.complainant?.name);
  if (complainant) out.push(`${PREFIX.complainant}${complainant}`);
  return out;
}

export interface RelatedComplaint {
  reference: string;
  receivedOn: string;
  /** Whole calendar months between the two receipts. */
  monthsApart: number;
  providerCode: string;
  sameProvider: boolean;
  status: string;
  matchedOn: Match[];
  linked: boolean;
}

const shiftYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
function monthsBetween(a: string, b: string): number {
  const [from, to] = a < b ? [a, b] : [b, a];
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  return to.slice(8) < from.slice(8) ? months - 1 : months;
}

/**
 * The other complaints about the same person received within 24 months either side of
 * `receivedOn`: a range of the search index per identity token, then their records by `_id`.
 */
export async function relatedComplaints(
  models: Models,
  c: { reference?: string; receivedOn: string; providerCode: string; complainant?: Person; patient?: Person; links?: { kind?: string | null; reference?: string | null }[] | null },
): Promise<RelatedComplaint[]> {
  const found = new Map<string, Set<Match>>();
  for (const token of complaintIdentity(c)) {
    const match = (Object.keys(PREFIX) as Match[]).find((m) => token.startsWith(PREFIX[m]))!;
    for (const key of await keysInRange(models.SearchIndex, prefixRange(searchKey('i', token, COMPLAINT.name)))) {
      const reference = referenceOf(key);
      if (reference === c.reference) continue;
      found.set(reference, (found.get(reference) ?? new Set()).add(match));
    }
  }
  const records = await findByIds<{ _id: string; receivedOn: string; providerCode: string; status: string }>(models.Complaint, [...found.keys()], { _id: 1, receivedOn: 1, providerCode: 1, status: 1 });
  const [earliest, latest] = [shiftYears(c.receivedOn, -RELATED_WITHIN_MONTHS / 12), shiftYears(c.receivedOn, RELATED_WITHIN_MONTHS / 12)];
  const linked = new Set((c.links ?? []).filter((l) => l.kind === RELATED_LINK).map((l) => l.reference));
  return records
    .filter((r) => r.receivedOn >= earliest && r.receivedOn <= latest)
    .map((r) => ({
      reference: r._id,
      receivedOn: r.receivedOn,
      monthsApart: monthsBetween(r.receivedOn, c.receivedOn),
      providerCode: r.providerCode,
      sameProvider: r.providerCode === c.providerCode,
      status: r.status,
      matchedOn: [...found.get(r._id)!],
      linked: linked.has(r._id),
    }))
    .sort((a, b) => b.receivedOn.localeCompare(a.receivedOn));
}

/**
 * Link two complaints as related, on both records (`$addToSet`: a repeat changes nothing). Resolves
 * false if either is not there (nothing written: the other is checked first).
 */
export async function linkRelated(models: Models, a: string, b: string): Promise<boolean> {
  const both = await findByIds(models.Complaint, [a, b], { _id: 1 });
  if (a === b || both.length < 2) return false;
  await models.Complaint.updateOne({ _id: a }, { $addToSet: { links: { kind: RELATED_LINK, reference: b } } });
  await models.Complaint.updateOne({ _id: b }, { $addToSet: { links: { kind: RELATED_LINK, reference: a } } });
  return true;
}
