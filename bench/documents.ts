/**
 * `npm run bench -- documents`: a case's documents through the API against GridFS directly.
 *
 *   direct  GridFSBucket upload (openUploadStream) and download (openDownloadStream) of a 20 MB file
 *   api     POST /api/complaints/:reference/documents (multipart, streamed, hashed, sniffed) and
 *           GET /api/documents/:id of the same file
 *
 * Each round does both paths once, in alternating order (direct, api | api, direct), after a
 * warm-up; throughput is MB/s over the rounds' medians and the ratio is api / direct (target ≥ 0.8).
 * Then 20 uploads of 20 MB at once through the API, its resident memory (VmRSS of the API's own
 * process) read every 25 ms: before, peak, after (2 s after the last answer). A streamed upload
 * holds a few chunks, not the file: the peak stays far below 20 × 20 MB.
 *
 *   BENCH_DOC_MB (20)  BENCH_DOC_ROUNDS (5)  BENCH_DOC_CONCURRENT (20)
 *
 * Servers: bench/lib/stack.ts (FerretDB and Temporal started here; the API in its own process).
 * Exit code 0 whatever the ratio (it is a measurement); 1 if any request or check failed.
 */
import { randomBytes, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { ObjectId } from 'mongodb';
import { loadConfig } from '../lib/config';
import { documentBucket } from '../models/document';
import { Cleanups, startBenchStack } from './lib/stack';

const MB = intSetting('BENCH_DOC_MB', 20);
const ROUNDS = intSetting('BENCH_DOC_ROUNDS', 5);
const CONCURRENT = intSetting('BENCH_DOC_CONCURRENT', 20);
const TARGET = 0.8;
const REFERENCE = 'CMP-2026-990001';

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** A file the API keeps (a PDF by its first bytes) that no compression or cache flatters: random after the header. */
function file(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1');
  return Buffer.concat([head, randomBytes(bytes - head.length - 7), Buffer.from('\n%%EOF\n')]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

/** The API process's resident memory, MB (Linux). */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function main() {
  const cleanups = new Cleanups();
  const failures: string[] = [];
  try {
    const stack = await startBenchStack(loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }), { run: randomBytes(3).toString('hex'), temporalStore: 'memory', api: 'process' }, cleanups);
    if (!stack.apiPid) throw new Error('the API must run in a process of its own to read its memory');
    // Only whether the case exists is asked of its record.
    await stack.models.Complaint.collection.insertOne({ _id: REFERENCE } as never);
    const bucket = documentBucket(stack.models.connection);
    const bytes = file(MB * 1_000_000);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const blob = new Blob([new Uint8Array(bytes)], { type: 'application/pdf' });
    const headers = { authorization: stack.authorization };

    const apiUpload = async (): Promise<string> => {
      const form = new FormData();
      form.set('kind', 'other');
      form.set('file', blob, 'bench.pdf');
      const res = await fetch(`${stack.apiUrl}/api/complaints/${REFERENCE}/documents`, { method: 'POST', headers, body: form });
      const body = (await res.json()) as { id?: string; sha256?: string };
      if (res.status !== 201 || body.sha256 !== sha) throw new Error(`upload answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      return body.id!;
    };
    const apiDownload = async (id: string) => {
      const res = await fetch(`${stack.apiUrl}/api/documents/${id}`, { headers });
      let n = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) n += chunk.length;
      if (res.status !== 200 || n !== bytes.length) throw new Error(`download answered ${res.status} with ${n} bytes`);
    };
    const directUpload = async (): Promise<ObjectId> => {
      const id = new ObjectId();
      await pipeline(Readable.from([bytes]), bucket.openUploadStreamWithId(id, 'bench.pdf'));
      return id;
    };
    const directDownload = async (id: ObjectId) => {
      let n = 0;
      for await (const chunk of bucket.openDownloadStream(id)) n += (chunk as Buffer).length;
      if (n !== bytes.length) throw new Error(`GridFS gave ${n} bytes`);
    };
    const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now();
      const out = await fn();
      return [out, performance.now() - start];
    };

    // Warm-up: connections, the API's first request, FerretDB's first chunk inserts.
    await apiDownload(await apiUpload());
    await directDownload(await directUpload());

    const t = { apiUp: [] as number[], apiDown: [] as number[], directUp: [] as number[], directDown: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const paths = [
        async () => {
          const [id, up] = await timed(apiUpload);
          t.apiUp.push(up);
          t.apiDown.push((await timed(() => apiDownload(id)))[1]);
        },
        async () => {
          const [id, up] = await timed(directUpload);
          t.directUp.push(up);
          t.directDown.push((await timed(() => directDownload(id)))[1]);
        },
      ];
      for (const p of round % 2 ? paths.reverse() : paths) await p();
    }

    const before = rssMb(stack.apiPid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(stack.apiPid!))), 25);
    const [, concurrentMs] = await timed(() => Promise.all(Array.from({ length: CONCURRENT }, () => apiUpload())));
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(stack.apiPid));
    await delay(2_000);
    const after = rssMb(stack.apiPid);

    const size = bytes.length;
    const row = (label: string, api: number[], direct: number[]) => {
      const a = mbps(size, median(api));
      const d = mbps(size, median(direct));
      return `${label.padEnd(9)} api ${a.toFixed(1).padStart(6)} MB/s   GridFS ${d.toFixed(1).padStart(6)} MB/s   ratio ${(a / d).toFixed(2)} (target ≥ ${TARGET})`;
    };
    console.log(`documents bench: ${MB} MB file, ${ROUNDS} rounds (medians), ${new Date().toISOString()}`);
    console.log(row('upload', t.apiUp, t.directUp));
    console.log(row('download', t.apiDown, t.directDown));
    console.log(`${CONCURRENT} uploads of ${MB} MB at once through the API: ${(concurrentMs / 1000).toFixed(1)} s; API RSS before ${before} MB, peak ${peak} MB, after ${after} MB`);
  } catch (err) {
    failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await cleanups.runAll();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

void main();
