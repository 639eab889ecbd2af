import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { checkCodecKeys, type CodecKeys } from './codec-keys';

/**
 * Every Temporal payload (workflow and Update inputs, results, queries, activity inputs and
 * outputs, continue-as-new inputs, memos) is sealed with AES-256-GCM before it leaves the
 * process, so a history on the server, in a backup or in the UI without the codec endpoint holds
 * no staff free text and no ids. The whole payload (its metadata and data) is sealed, so decode
 * gives back exactly what the converter wrote. The key id rides in the clear beside it: decode
 * picks the key by it, so histories written before a rotation stay readable.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class UnknownCodecKeyError extends Error {
  constructor(keyId: string | undefined) {
    super(`payload encrypted under key "${keyId ?? '(none)'}", which TEMPORAL_CODEC_KEYS does not list: add the key that wrote this history`);
    this.name = 'UnknownCodecKeyError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly keyId: string,
  ) {
    if (!keys.has(keyId)) throw new UnknownCodecKeyError(keyId);
  }

  static fromConfig(config: CodecKeys): EncryptionCodec {
    return new EncryptionCodec(checkCodecKeys(config), config.TEMPORAL_CODEC_KEY_ID);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.open(payload));
  }

  private seal(payload: Payload): Payload {
    const key = this.keys.get(this.keyId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    // The key id is authenticated too: a payload relabelled with another id fails to open.
    cipher.setAAD(utf8(this.keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: utf8(this.keyId) },
      data: new Uint8Array(sealed),
    };
  }

  private open(payload: Payload): Payload {
    // Payloads written before encryption (the saved replay histories, older cases) pass as they are.
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (!key || keyId === undefined) throw new UnknownCodecKeyError(keyId);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new Error('encrypted payload is too short to hold a nonce and a tag');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAAD(utf8(keyId));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/**
 * What every workflow bundle is built with (bundleWorkflowCode), so failures raised inside the
 * workflow sandbox are encoded as the worker's own are.
 */
export const WORKFLOW_CONVERTERS = { failureConverterPath: require.resolve('./failure-converter') };

/** The one data converter of every Temporal client and worker in Oversight. */
export function createDataConverter(config: Partial<CodecKeys>): DataConverter {
  return { payloadCodecs: [codecFromConfig(config)], ...WORKFLOW_CONVERTERS };
}

/** The codec from configuration; without keys it refuses, rather than write histories in the clear. */
export function codecFromConfig(config: Partial<CodecKeys>): EncryptionCodec {
  return EncryptionCodec.fromConfig(requireCodecKeys(config));
}

/** The codec keys configuration must give: without them Oversight refuses to start. */
export function requireCodecKeys(config: Partial<CodecKeys>): CodecKeys {
  const { TEMPORAL_CODEC_KEYS, TEMPORAL_CODEC_KEY_ID } = config;
  if (!TEMPORAL_CODEC_KEYS || !TEMPORAL_CODEC_KEY_ID) {
    throw new Error('TEMPORAL_CODEC_KEYS and TEMPORAL_CODEC_KEY_ID must be set: Temporal payloads are encrypted (see docs/operations.md, "Temporal codec keys and rotation")');
  }
  return { TEMPORAL_CODEC_KEYS, TEMPORAL_CODEC_KEY_ID };
}
