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

/** A logger; `destination` (tests) writes JSON lines there instead. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'oversight', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  return pino({ ...options, ...(pretty(level) && { transport: { target: 'pino-pretty' } }) });
}
