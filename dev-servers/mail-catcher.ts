// Dev-only launcher (npm start) for a mail catcher: the mailer's email, shown in a browser; not runtime code.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { simpleParser, type ParsedMail } from 'mailparser';
import nunjucks from 'nunjucks';
import { SMTPServer } from 'smtp-server';
import { assertPortFree, spawnServer, waitUntilReady } from './process';
import { toolPath } from './tools';

export interface MailCatcher {
  /** Where the mailer sends (SMTP, no auth, no TLS). */
  smtpPort: number;
  /** Where a person reads what was sent. */
  url: string;
  /** Mailpit, or the project's own sink where Mailpit did not build. */
  kind: 'mailpit' | 'sink';
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Mailpit (built by scripts/install-tools.sh) on `smtpPort` and `uiPort`, keeping its messages in
 * `dataDir`; where it is not installed, a small SMTP sink of this project's own with a page
 * listing what arrived (kept in memory).
 */
export async function startMailCatcher(opts: { smtpPort: number; uiPort: number; dataDir: string; logFile?: string }): Promise<MailCatcher> {
  const hint = 'Stop the process using it, or set SMTP_HOST and SMTP_PORT to use another relay.';
  await assertPortFree(opts.smtpPort, HOST, hint);
  await assertPortFree(opts.uiPort, HOST, hint);
  let mailpit: string | undefined;
  try {
    mailpit = toolPath('mailpit');
  } catch {
    return startMailSink(opts.smtpPort, opts.uiPort);
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const server = spawnServer(
    'Mailpit',
    mailpit,
    ['--smtp', `${HOST}:${opts.smtpPort}`, '--listen', `${HOST}:${opts.uiPort}`, '--database', path.join(opts.dataDir, 'mailpit.db'), '--quiet'],
    opts.logFile,
  );
  const url = `http://${HOST}:${opts.uiPort}`;
  await waitUntilReady(
    server,
    async () => {
      const res = await fetch(`${url}/api/v1/messages?limit=1`);
      if (!res.ok) throw new Error(`Mailpit answered ${res.status}`);
    },
    20_000,
  );
  return { smtpPort: opts.smtpPort, url, kind: 'mailpit', stop: () => server.stop() };
}

const page = new nunjucks.Environment(null, { autoescape: true });
const TEMPLATE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Oversight mail sink</title>
<style>body{font-family:Arial,sans-serif;margin:2em;max-width:60em}article{border-top:1px solid #ccc;padding:1em 0}pre{white-space:pre-wrap}</style></head>
<body><h1>Email sent by Oversight ({{ mails.length }})</h1><p>Newest first. Kept in memory until npm start stops.</p>
{% for m in mails %}<article><h2>{{ m.subject }}</h2><p>To {{ m.to }} · {{ m.date }} · {{ m.messageId }}</p><pre>{{ m.text }}</pre></article>{% endfor %}
</body></html>`;

/** The fallback: smtp-server keeping what arrives, and one page listing it. */
export async function startMailSink(smtpPort: number, uiPort: number): Promise<MailCatcher> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => (mails.unshift(mail), callback()), (err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, HOST, () => resolve());
  });
  const app = express();
  app.get('/', (_req, res) => {
    const view = mails.map((m) => ({
      subject: m.subject ?? '',
      to: [m.to ?? []].flat().map((a) => a.text).join(', '),
      date: m.date?.toISOString() ?? '',
      messageId: m.messageId ?? '',
      text: m.text ?? '',
    }));
    res.type('html').send(page.renderString(TEMPLATE, { mails: view }));
  });
  const http = app.listen(uiPort, HOST);
  await new Promise<void>((resolve) => http.once('listening', () => resolve()));
  return {
    smtpPort,
    url: `http://${HOST}:${(http.address() as AddressInfo).port}`,
    kind: 'sink',
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
