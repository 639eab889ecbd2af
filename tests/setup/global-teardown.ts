import { rmSync } from 'node:fs';
import type { TestStack } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const stack: TestStack | undefined = globalThis.__oversightTestStack;
  globalThis.__oversightTestStack = undefined;
  if (!stack) return;
  if (stack.ownsMongoUri) delete process.env.MONGODB_URI;
  if (stack.ownsCodecKeys) {
    delete process.env.TEMPORAL_CODEC_KEYS;
    delete process.env.TEMPORAL_CODEC_KEY_ID;
  }
  try {
    await stack.ferretDb?.stop();
  } finally {
    if (stack.tempDir) rmSync(stack.tempDir, { recursive: true, force: true });
  }
}
