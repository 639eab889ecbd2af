import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { generateCodecKeys, localCodecKeys, parseCodecKeys } from '../../lib/codec-keys';
import { loadConfig } from '../../lib/config';
import { codecFromConfig, ENCRYPTED_ENCODING, EncryptionCodec, METADATA_KEY_ID, UnknownCodecKeyError } from '../../lib/payload-codec';

const converter = new DefaultPayloadConverter();
const reason = 'Complainant in hospital until 14 March; CMP-2026-000123';
const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');

describe('EncryptionCodec', () => {
  const keys = generateCodecKeys('k1');
  const codec = EncryptionCodec.fromConfig(keys);

  test('round trip gives back the payload exactly, metadata and data', async () => {
    const payload = converter.toPayload({ reason, providerCode: 'RJ2' });
    const [sealed] = await codec.encode([payload]);
    expect(text(sealed.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata?.[METADATA_KEY_ID])).toBe('k1');
    const raw = Buffer.from(sealed.data!);
    expect(raw.toString('utf8')).not.toContain('RJ2');
    const [opened] = await codec.decode([sealed]);
    expect(text(opened.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
    expect(converter.fromPayload(opened)).toEqual({ reason, providerCode: 'RJ2' });
    expect(Buffer.from(opened.data!)).toEqual(Buffer.from(payload.data!));
  });

  test('a fresh nonce every time: the same payload never encrypts the same way twice', async () => {
    const payload = converter.toPayload(reason);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).subarray(0, 12)).not.toEqual(Buffer.from(b.data!).subarray(0, 12));
    expect(Buffer.from(a.data!)).not.toEqual(Buffer.from(b.data!));
  });

  test('tampering is detected: a changed byte, or a payload relabelled with another key id', async () => {
    const [sealed] = await codec.encode([converter.toPayload(reason)]);
    for (const at of [0, 20, sealed.data!.length - 1]) {
      const data = Buffer.from(sealed.data!);
      data[at] ^= 1;
      await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow();
    }
    await expect(codec.decode([{ ...sealed, data: sealed.data!.subarray(0, 20) }])).rejects.toThrow(/too short/);
    // Same key under two ids: only the id it was sealed under opens it (the id is authenticated).
    const both = new EncryptionCodec(new Map([['k1', keyOf(keys)], ['k1-copy', keyOf(keys)]]), 'k1');
    const relabelled: Payload = { ...sealed, metadata: { ...sealed.metadata, [METADATA_KEY_ID]: Buffer.from('k1-copy') } };
    await expect(both.decode([relabelled])).rejects.toThrow();
  });

  test('after rotation new payloads use the new key, and old ones still open by their key id', async () => {
    const [old] = await codec.encode([converter.toPayload('written under k1')]);
    const k2 = generateCodecKeys('k2');
    const rotated = codecFromConfig({ TEMPORAL_CODEC_KEYS: `${keys.TEMPORAL_CODEC_KEYS},${k2.TEMPORAL_CODEC_KEYS}`, TEMPORAL_CODEC_KEY_ID: 'k2' });
    const [fresh] = await rotated.encode([converter.toPayload('written under k2')]);
    expect(text(fresh.metadata?.[METADATA_KEY_ID])).toBe('k2');
    const opened = await rotated.decode([old, fresh]);
    expect(opened.map((p) => converter.fromPayload(p))).toEqual(['written under k1', 'written under k2']);
    // The old codec never had k2.
    await expect(codec.decode([fresh])).rejects.toThrow(UnknownCodecKeyError);
    await expect(codec.decode([fresh])).rejects.toThrow(/key "k2", which TEMPORAL_CODEC_KEYS does not list/);
  });

  test('a payload that was never encrypted passes through unchanged', async () => {
    const plain = converter.toPayload({ recordedBefore: 'encryption' });
    const [out] = await codec.decode([plain]);
    expect(out).toBe(plain);
    const empty: Payload = { metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/null') } };
    expect((await codec.decode([empty]))[0]).toBe(empty);
  });
});

describe('codec keys in configuration', () => {
  const good = generateCodecKeys('2026-11');

  test('parses id:base64key pairs', () => {
    const other = generateCodecKeys('2027-05');
    const keys = parseCodecKeys(` ${good.TEMPORAL_CODEC_KEYS} , ${other.TEMPORAL_CODEC_KEYS}`);
    expect([...keys.keys()]).toEqual(['2026-11', '2027-05']);
    expect(keys.get('2026-11')).toHaveLength(32);
  });

  test.each([
    ['', /no keys/],
    ['nokey', /id:base64key/],
    ['k1:c2hvcnQ=', /32 bytes/],
    [`k1:${'A'.repeat(43)}!`, /32 bytes/],
  ])('refuses %j', (list, message) => {
    expect(() => parseCodecKeys(list)).toThrow(message);
  });

  test('loadConfig checks the pair together and never prints a key', () => {
    expect(loadConfig({ ...good }).TEMPORAL_CODEC_KEY_ID).toBe('2026-11');
    expect(() => loadConfig({ TEMPORAL_CODEC_KEYS: good.TEMPORAL_CODEC_KEYS })).toThrow(/set together/);
    expect(() => loadConfig({ ...good, TEMPORAL_CODEC_KEY_ID: 'other' })).toThrow(/"other" is not among TEMPORAL_CODEC_KEYS \(2026-11\)/);
    expect(() => loadConfig({ ...good, TEMPORAL_CODEC_KEYS: `${good.TEMPORAL_CODEC_KEYS},${good.TEMPORAL_CODEC_KEYS}` })).toThrow(/listed twice/);
    let message = '';
    try {
      loadConfig({ TEMPORAL_CODEC_KEYS: `${good.TEMPORAL_CODEC_KEYS}x`, TEMPORAL_CODEC_KEY_ID: '2026-11' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/32 bytes/);
    expect(message).not.toContain(good.TEMPORAL_CODEC_KEYS.split(':')[1].slice(0, 12));
  });

  test('npm start makes its local key once, readable by its owner only, and reads the same one after', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oversight-codec-'));
    try {
      const file = path.join(dir, '.data', 'temporal-codec-key');
      const first = localCodecKeys(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.TEMPORAL_CODEC_KEY_ID).toMatch(/^local-\d{4}-\d{2}-\d{2}$/);
      expect(localCodecKeys(file)).toEqual(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without keys the data converter refuses rather than write histories in the clear', () => {
    expect(() => codecFromConfig({})).toThrow(/TEMPORAL_CODEC_KEYS and TEMPORAL_CODEC_KEY_ID must be set/);
  });
});

function keyOf(keys: { TEMPORAL_CODEC_KEYS: string }): Buffer {
  return Buffer.from(keys.TEMPORAL_CODEC_KEYS.split(':')[1], 'base64');
}
