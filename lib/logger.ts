import pino from 'pino';

export type Logger = pino.Logger;

/** Readable lines on a terminal, JSON lines otherwise; LOG_FORMAT=json or LOG_FORMAT=pretty decides instead. */
function pretty(level: string): boolean {
  if (level === 'silent') return false; // no transport thread for a logger that never writes
  const format = process.env.LOG_FORMAT;
  return format ? format === 'pretty' : process.stdout.isTTY === true;
}

/**
 * What never reaches a log line: a caller's token (pino-http logs request headers), cookies, and
 * the personal details a request or a record may carry if an error logs one.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.complainant',
  '*.patient',
  '*.representative',
  '*.summary',
];

/**
 * A request's address as a log line may hold it: the path, and the names of its query's
 * parameters without their values. A query can carry what a person typed (a search for a name or
 * an NHS number, a form filled in from a link), and the audit trail keeps such terms only as keyed
 * hashes; a plain log line must not undo that.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = new Set<string>();
  try {
    for (const name of new URLSearchParams(url.slice(at + 1)).keys()) names.add(name);
  } catch {
    // A query that does not parse: none of it is kept.
  }
  const kept = [...names].map((name) => `${encodeURIComponent(name)}=[redacted]`).join('&');
  return `${url.slice(0, at)}?${kept}`;
}

/** A logger; `destination` (tests) writes JSON lines there instead. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'oversight', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  return pino({ ...options, ...(pretty(level) && { transport: { target: 'pino-pretty' } }) });
}
