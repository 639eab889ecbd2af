import mongoose from 'mongoose';

/**
 * One mongoose connection per process. Short server-selection timeouts so an
 * unreachable database answers 503 quickly instead of hanging a request.
 */
export async function connectDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    // FerretDB v1 has no retryable writes; our writes are idempotent by key instead.
    retryWrites: false,
  });
  await connection.asPromise();
  return connection;
}

/** True when the error means the database could not be reached (answer 503, not 500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MongoServerSelectionError' ||
    err.name === 'MongoNetworkError' ||
    err.name === 'MongoNetworkTimeoutError' ||
    err.name === 'MongoNotConnectedError' ||
    err.name === 'MongoTopologyClosedError' ||
    err.name === 'MongooseServerSelectionError'
  );
}

/** Duplicate key (E11000): the keyed write already happened, which is what a retry wants. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Insert a document keyed so that a retry finds it already there; a duplicate is success. */
export async function insertOnce(model: { create(doc: object): Promise<unknown> }, doc: object): Promise<void> {
  try {
    await model.create(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
