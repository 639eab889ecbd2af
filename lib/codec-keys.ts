import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The keys Temporal payloads are encrypted with (lib/payload-codec.ts), as configuration gives
 * them: TEMPORAL_CODEC_KEYS lists every key a history may still need (`id:base64key`, comma-
 * separated, each key 32 bytes for AES-256), TEMPORAL_CODEC_KEY_ID names the one new payloads
 * are encrypted with. Rotation adds a key and moves the id to it; the old key stays listed for
 * as long as a history written under it may be read (a case's workflow lives for months).
 */
export interface CodecKeys {
  TEMPORAL_CODEC_KEYS: string;
  TEMPORAL_CODEC_KEY_ID: string;
}

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Each key by its id; throws saying which entry is wrong, never echoing a key. */
export function parseCodecKeys(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = list.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no keys: expected id:base64key[,id:base64key…]');
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id)) throw new Error(`entry ${i + 1}: expected id:base64key with an id of 1-64 of A-Z a-z 0-9 . _ -`);
    const encoded = entry.slice(colon + 1);
    const key = Buffer.from(encoded, 'base64');
    // Buffer.from skips what is not base64; a key that does not round-trip was mistyped.
    if (key.length !== KEY_BYTES || key.toString('base64') !== encoded) {
      throw new Error(`key "${id}": expected ${KEY_BYTES} bytes in base64 (openssl rand -base64 ${KEY_BYTES})`);
    }
    if (keys.has(id)) throw new Error(`key "${id}" is listed twice`);
    keys.set(id, key);
  });
  return keys;
}

/** Checks the pair together: the key to encrypt with must be one of those listed. */
export function checkCodecKeys(config: CodecKeys): Map<string, Buffer> {
  const keys = parseCodecKeys(config.TEMPORAL_CODEC_KEYS);
  if (!keys.has(config.TEMPORAL_CODEC_KEY_ID)) {
    throw new Error(`TEMPORAL_CODEC_KEY_ID "${config.TEMPORAL_CODEC_KEY_ID}" is not among TEMPORAL_CODEC_KEYS (${[...keys.keys()].join(', ')})`);
  }
  return keys;
}

/** A fresh random key under `id`, for a test run, a bench or a chaos run. */
export function generateCodecKeys(id = `k${Date.now().toString(36)}`): CodecKeys {
  return { TEMPORAL_CODEC_KEYS: `${id}:${randomBytes(KEY_BYTES).toString('base64')}`, TEMPORAL_CODEC_KEY_ID: id };
}

/**
 * `npm start` with no keys configured: the key kept in `file` (under the git-ignored .data/),
 * made once, readable by its owner only, so the local history stays readable across restarts.
 * Losing the file makes the local histories unreadable, as losing a real key would.
 */
export function localCodecKeys(file: string): CodecKeys {
  if (existsSync(file)) {
    const [keyId, keys] = readFileSync(file, 'utf8').trim().split('\n');
    const config = { TEMPORAL_CODEC_KEY_ID: keyId, TEMPORAL_CODEC_KEYS: keys };
    checkCodecKeys(config);
    return config;
  }
  const config = generateCodecKeys(`local-${new Date().toISOString().slice(0, 10)}`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${config.TEMPORAL_CODEC_KEY_ID}\n${config.TEMPORAL_CODEC_KEYS}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return config;
}
