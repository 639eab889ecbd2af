import { indexKey, type KeyRange } from '../../models/case-index';

/**
 * The reconciler's list of changes, kept in the case index beside the lists people read: one
 * entry per case, `complaint|chg|2026-12-05T10:15:02:318Z|CMP-2026-000123`, at the time of the
 * case's last write (its record created by the API, then each projection). The record names its
 * entry (`changedKey`) and each projection moves it forward, as it moves the case's list entries.
 * A reconciler run reads only the stretch since its last run: a range of `_id`, answered from the
 * index however many cases there are (activities/kernel/reconcile-sources.ts).
 */
export function changedKey(process: string, reference: string, at: Date): string {
  return indexKey(process, 'chg', stamp(at), reference);
}

/** The entries of changes made from `from` up to (not including) `until`. */
export function changedRange(process: string, from: Date, until: Date): KeyRange {
  return { from: indexKey(process, 'chg', stamp(from)), to: indexKey(process, 'chg', stamp(until)) };
}

/** When the change a key records was made. */
export function changedAt(key: string): Date {
  const [, , at] = key.split('|');
  return new Date(at.replace(/:(\d{3}Z)$/, '.$1'));
}

// An ISO instant with its '.' as ':' (a key holds no '.'): fixed width, so keys sort by time.
const stamp = (at: Date) => at.toISOString().replace('.', ':');
