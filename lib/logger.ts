import pino from 'pino';

export type Logger = pino.Logger;

/** Readable lines on a terminal, JSON lines otherwise; LOG_FORMAT=json or LOG_FORMAT=pretty decides instead. */
function pretty(level: string): boolean {
  if (level === 'silent') return false; // no transport thread for a logger that never writes
  const format = process.env.LOG_FORMAT;
  return format ? format === 'pretty' : process.stdout.isTTY === true;
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'oversight'): Logger {
  return pino({ name, level, ...(pretty(level) && { transport: { target: 'pino-pretty' } }) });
}
