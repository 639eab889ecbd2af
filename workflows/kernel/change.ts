import type { StateChange } from './contract';

/**
 * A case's state as its write last saw it, by path: each top-level field, and each element of a
 * field that is a list or a record (an action, a deadline), as JSON. Two of these give the change
 * between them (`changeBetween`), as large as what moved, whatever the size of the case. Pure:
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
      if (key.startsWith(prefix) && !same(before.get(key), e)) set.push([[field, key.slice(prefix.length)], container[key.slice(prefix.length)]]);
    }
    for (const key of before.keys()) {
      if (key.startsWith(prefix) && !after.has(key)) unset.push([field, key.slice(prefix.length)]);
    }
  }
  for (const field of before.keys()) if (!field.includes(SEP) && !after.has(field)) unset.push([field]);
  return { ...(set.length && { set }), ...(unset.length && { unset }) };
}

/** `state` with `change` applied (a copy: the argument is not modified). */
export function applyChange<S extends object>(state: S, change: StateChange): S {
  const out = structuredClone(state) as Json;
  for (const [[field, k], v] of change.set ?? []) {
    if (k === undefined) out[field] = structuredClone(v);
    else (out[field] as Json)[k] = structuredClone(v);
  }
  for (const [field, k] of change.unset ?? []) {
    if (k === undefined) delete out[field];
    else delete (out[field] as Json)[k]; // a record's element: a list never loses one element-wise (it is written whole)
  }
  return out as S;
}

/** True when the change moves nothing. */
export const isEmptyChange = (change: StateChange) => !change.set?.length && !change.unset?.length;
