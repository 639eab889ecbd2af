// Rehearsal only: an SMTP relay that can be told to refuse a share of what it is sent.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Accepts mail on a free loopback port and keeps each accepted message's Message-ID; while
 * `failRate` is above 0 it answers that share of messages, at random, with a temporary failure
 * (451) after reading them, as a relay under strain does, so the sender must send them again.
 */
export class FlakyRelay {
  failRate = 0;
  port = 0;
  /** Message-ID of every message accepted, in order (a repeat is a duplicate delivery). */
  readonly accepted: string[] = [];
  refused = 0;
  private server?: SMTPServer;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            if (Math.random() < this.failRate) {
              this.refused++;
              const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
              return callback(err);
            }
            this.accepted.push(mail.messageId ?? '');
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
