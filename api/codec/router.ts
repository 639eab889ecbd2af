import type { Payload, PayloadCodec } from '@temporalio/common';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import { guardedRouter } from '../auth/routes';
import { errorBody, json } from '../openapi';
import { z } from 'zod';
import { HttpError } from '../errors';
import { validate } from '../validate';

/**
 * The codec server the Temporal UI (and `temporal` CLI) call to show encrypted payloads in the
 * clear: POST …/decode and …/encode with `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`,
 * answered in the same shape, as Temporal's remote codec protocol has it. It runs the API's own
 * codecs (the Temporal client's), so it decodes exactly what the API and the worker encode.
 * The UI calls it from the browser, from its own origin: only the origins configured
 * (TEMPORAL_UI_ORIGIN) are let through CORS.
 */
const base64 = z.base64();
const payloadJson = z.object({
  metadata: z.record(z.string(), base64).default({}),
  data: base64.default(''),
});
const codecBody = z.object({ payloads: z.array(payloadJson).max(1_000) });
type PayloadJson = z.infer<typeof payloadJson>;

export function codecRouter(deps: { codecs: readonly PayloadCodec[] }): Router {
  const router = guardedRouter('/api/codec');
  router.options(['/decode', '/encode'], (_req, res) => {
    res.status(204).end();
  });
  router.post('/decode', validate({ body: codecBody }), async (req: Request, res: Response) => {
    // Decoding runs the codecs in the reverse of the order they encode in.
    let payloads = (req.body as z.infer<typeof codecBody>).payloads.map(fromJson);
    for (const codec of [...deps.codecs].reverse()) payloads = await undecodable(() => codec.decode(payloads));
    res.json({ payloads: payloads.map(toJson) });
  });
  router.post('/encode', validate({ body: codecBody }), async (req: Request, res: Response) => {
    let payloads = (req.body as z.infer<typeof codecBody>).payloads.map(fromJson);
    for (const codec of deps.codecs) payloads = await codec.encode(payloads);
    res.json({ payloads: payloads.map(toJson) });
  });
  return router;
}

/** Headers the UI sends: the namespace, and a bearer token when it is set to pass one. */
export function codecCors(origins: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin && origins.has(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
      });
    }
    next();
  };
}

/** A payload this server's keys cannot open is the request's, not a failure of ours. */
async function undecodable(fn: () => Promise<Payload[]>): Promise<Payload[]> {
  try {
    return await fn();
  } catch (err) {
    throw new HttpError(422, 'undecodable_payload', err instanceof Error ? err.message : 'the payload could not be decoded');
  }
}

function fromJson(p: PayloadJson): Payload {
  const metadata = Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { metadata, data: Buffer.from(p.data, 'base64') };
}

function toJson(p: Payload): PayloadJson {
  const b64 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');
  return { metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) };
}

/** The codec routes in the OpenAPI document (their callers are the Temporal UI and CLI). */
export function codecOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  for (const [action, summary] of [
    ['decode', 'Temporal remote codec: decrypt payloads for the Temporal UI (staff who may see case histories)'],
    ['encode', 'Temporal remote codec: encrypt payloads the Temporal UI sends (administrators)'],
  ] as const) {
    registry.registerPath({
      method: 'post',
      path: `/api/codec/${action}`,
      tags: ['codec'],
      summary,
      request: { body: { content: { 'application/json': { schema: codecBody } } } },
      responses: { 200: json(codecBody, 'The payloads'), 400: json(errorBody, 'Not payloads'), 422: json(errorBody, 'A payload these keys cannot open') },
    });
  }
  return registry;
}
