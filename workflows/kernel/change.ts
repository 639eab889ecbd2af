import type { StateChange } from '../../contracts/kernel/commit';

/**
 * A case's state as its write last saw it, by path: each top-level field, and each element of a
 * field that is a list or a record (an action, a deadline), as JSON. Two of these give the change
 * between them (`changeBetween`), as large as what moved, whatever the size of the case: down to
 * the fields of an element that moved. Pure:
 * the workflow keeps one, and the write activity applies the change (`applyChange`).
 */
export type Fingerprint = Map<string, Entry>;

/** A plain value as JSON, or a container's shape: a list's length, or a record's keys in order. */
type Entry = { json: string } | { list: number } | { keys: string[] };

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SEP = '\u0000';

/** The fingerprint of a state: one entry per top-level field, and per element of a list or record. */
export function fingerprint(state: object): Fingerprint {
  const out: Fingerprint = new Map();
  for (const [field, value] of Object.entries(state)) {
    if (value === undefined) continue;
    if (!Array.isArray(value) && !isRecord(value)) {
      out.set(field, { json: JSON.stringify(value) });
      continue;
    }
    // A list's every element counts (a hole reads as null, as JSON has it); a record's undefined ones do not.
    const elements = Array.isArray(value) ? value.map((v, i): [string, unknown] => [String(i), v ?? null]) : Object.entries(value).filter(([, v]) => v !== undefined);
    out.set(field, Array.isArray(value) ? { list: value.length } : { keys: elements.map(([k]) => k) });
    for (const [k, v] of elements) out.set(`${field}${SEP}${k}`, { json: JSON.stringify(v) });
  }
  return out;
}

/**
 * Whether a container can be moved element by element: a list that did not shrink, or a record
 * whose remaining keys keep their order (new ones come last), so applying the change gives the
 * same order the workflow has (a projection that breaks ties by order sees the same). Otherwise,
 * or when a field changes between a value, a list and a record, it is written whole.
 */
function elementWise(before: Entry | undefined, after: Entry): boolean {
  if (before && 'list' in before && 'list' in after) return after.list >= before.list;
  if (before && 'keys' in before && 'keys' in after) {
    const kept = before.keys.filter((k) => after.keys.includes(k));
    return kept.every((k, i) => after.keys[i] === k);
  }
  return false;
}

const same = (a: Entry | undefined, b: Entry | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What moved from `before` to `after` (fingerprints of one case; `after` is of `state`): the paths
 * to set, with their values from `state`, and the paths to remove.
 */
export function changeBetween(before: Fingerprint, after: Fingerprint, state: object): StateChange {
  const set: [string[], unknown][] = [];
  const unset: string[][] = [];
  const s = state as Json;
  for (const [field, entry] of after) {
    if (field.includes(SEP)) continue;
    const was = before.get(field);
    if ('json' in entry) {
      if (!same(was, entry)) set.push([[field], s[field]]);
      continue;
    }
    if (!elementWise(was, entry)) {
      if (!same(was, entry)) set.push([[field], s[field]]);
      continue;
    }
    const container = s[field] as Json;
    const prefix = `${field}${SEP}`;
    for (const [key, e] of after) {
      if (!key.startsWith(prefix) || same(before.get(key), e)) continue;
      const k = key.slice(prefix.length);
      const was = before.get(key);
      fieldsMoved(was && 'json' in was ? was.json : undefined, container[k], [field, k], set, unset);
    }
    for (const key of before.keys()) {
      if (key.startsWith(prefix) && !after.has(key)) unset.push([field, key.slice(prefix.length)]);
    }
  }
  for (const field of before.keys()) if (!field.includes(SEP) && !after.has(field)) unset.push([field]);
  return { ...(set.length && { set }), ...(unset.length && { unset }) };
}

/**
 * One element that moved (an action, a deadline): the fields of it that moved, when it was a
 * record before and is one now with its fields in the same order (an action's updates and its
 * latest update, not the whole action), else the element whole.
 */
function fieldsMoved(beforeJson: string | undefined, value: unknown, path: string[], set: [string[], unknown][], unset: string[][]): void {
  const was: unknown = beforeJson === undefined ? undefined : JSON.parse(beforeJson);
  if (!isRecord(was) || !isRecord(value)) {
    set.push([path, value]);
    return;
  }
  const now = Object.keys(value).filter((k) => value[k] !== undefined);
  const kept = Object.keys(was).filter((k) => now.includes(k));
  if (!kept.every((k, i) => now[i] === k)) {
    set.push([path, value]);
    return;
  }
  for (const k of now) if (JSON.stringify(was[k]) !== JSON.stringify(value[k])) set.push([[...path, k], value[k]]);
  for (const k of Object.keys(was)) if (!now.includes(k)) unset.push([...path, k]);
}

/** `state` with `change` applied (a copy: the argument is not modified). */
export function applyChange<S extends object>(state: S, change: StateChange): S {
  const out = structuredClone(state) as Json;
  // A path is a field, an element of it, or a field of that element (see changeBetween).
  const parentOf = (path: string[]) => path.slice(0, -1).reduce<Json>((o, k) => o[k] as Json, out);
  for (const [path, v] of change.set ?? []) parentOf(path)[path.at(-1)!] = structuredClone(v);
  // A list never loses an element this way (it is written whole): only records' elements and fields.
  for (const path of change.unset ?? []) delete parentOf(path)[path.at(-1)!];
  return out as S;
}

/** True when the change moves nothing. */
export const isEmptyChange = (change: StateChange) => !change.set?.length && !change.unset?.length;
