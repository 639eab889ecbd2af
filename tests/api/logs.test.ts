import { Writable } from 'node:stream';
import { createLogger } from '../../lib/logger';

test('log lines never carry a bearer token, a cookie or a complainant’s details', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger('info', 'api', sink);
  logger.info({ req: { method: 'GET', url: '/api/complaints', headers: { authorization: 'Bearer eyJhbGciOi.secret.sig', cookie: 's=1' } } }, 'request');
  logger.error({ err: { message: 'x' }, body: { complainant: { name: 'Alex Example' }, summary: 'Discharged', providerCode: 'RJ2' } }, 'failed');
  const out = lines.join('');
  expect(out).not.toMatch(/eyJhbGciOi|s=1|Alex Example|Discharged/);
  expect(out).toContain('RJ2');
  expect(out).toContain('[redacted]');
});
