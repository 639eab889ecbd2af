import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { testCodec } from './env';

type History = temporal.api.history.v1.IHistory;

/**
 * Every payload in a history, wherever its event keeps it (inputs, results, Update arguments,
 * memos, headers, failure details): found by shape, so no event type is missed.
 */
export function payloadsIn(history: History): Payload[] {
  const found: Payload[] = [];
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (isPayload(value)) {
      found.push(value);
      return;
    }
    Object.values(value).forEach(visit);
  };
  visit(history);
  return found;
}

function isPayload(value: object): value is Payload {
  const metadata = (value as { metadata?: unknown }).metadata;
  return typeof metadata === 'object' && metadata !== null && Object.values(metadata).every((v) => v instanceof Uint8Array) && 'encoding' in metadata;
}

/**
 * A copy of `history` with every payload decoded by `codec`: what a saved replay history holds
 * (tests/replay/histories are kept readable, without the run's key), and what staff see in the UI.
 */
export async function decodeHistory(history: History, codec: PayloadCodec): Promise<temporal.api.history.v1.History> {
  const copy = temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish());
  for (const payload of payloadsIn(copy)) {
    const [decoded] = await codec.decode([payload]);
    payload.metadata = decoded.metadata;
    payload.data = decoded.data;
  }
  return copy;
}

/**
 * A handle's history as `npm run replay:record` saves it under tests/replay/histories: decoded,
 * so it replays without this run's key (the codec passes unencrypted payloads through).
 */
export async function replayHistoryBytes(handle: WorkflowHandle): Promise<Uint8Array> {
  return temporal.api.history.v1.History.encode(await decodeHistory(await handle.fetchHistory(), testCodec())).finish();
}

/**
 * The text of every payload in a handle's history, decoded: what the workflow itself carries,
 * for tests that personal details stay in MongoDB (encryption alone would hide them here too).
 */
export async function decodedPayloadText(handle: WorkflowHandle): Promise<string> {
  const decoded = await decodeHistory(await handle.fetchHistory(), testCodec());
  return payloadsIn(decoded).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}
