import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { checkCodecKeys, type CodecKeys } from '../../lib/codec-keys';

/**
 * The key a search's terms are hashed under in the audit trail: HMAC-SHA-256, so a name cannot be
 * guessed and checked against the audit trail by whoever reads it, only by whoever also holds the
 * key. Derived (HKDF-SHA-256) from the Temporal codec key payloads are encrypted with, so it is as
 * closely held as that key and needs no setting of its own; its id is the codec key's, written in
 * each audit entry, so a rotation leaves the older entries checkable with the older key.
 */
export interface TermKey {
  id: string;
  key: Buffer;
}

const INFO = 'oversight: search terms in the audit trail';

export function searchTermKey(config: CodecKeys): TermKey {
  const codecKey = checkCodecKeys(config).get(config.TEMPORAL_CODEC_KEY_ID)!;
  return { id: config.TEMPORAL_CODEC_KEY_ID, key: Buffer.from(hkdfSync('sha256', codecKey, Buffer.alloc(0), INFO, 32)) };
}

/** An app given no key (tests): one of its own, so its hashes can be checked by nobody. */
export function ephemeralTermKey(): TermKey {
  return { id: 'ephemeral', key: randomBytes(32) };
}

/** A term's hash as the audit trail holds it: the first 16 hex digits of its HMAC. */
export function termHash(key: TermKey, term: string): string {
  return createHmac('sha256', key.key).update(term).digest('hex').slice(0, 16);
}
