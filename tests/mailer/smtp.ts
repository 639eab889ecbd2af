import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** A real SMTP server in this process, keeping what arrives (parsed) for the test to read. */
export class TestSmtp {
  readonly received: ParsedMail[] = [];
  private server?: SMTPServer;
  /** Called with each message as it arrives, before the server answers the client. */
  onMessage?: (mail: ParsedMail, session: SMTPServerSession) => Promise<void> | void;

  constructor(public port = 0) {}

  async start(): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream: SMTPServerDataStream, session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            this.received.push(mail);
            await this.onMessage?.(mail, session);
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The Message-IDs of what arrived, in order. */
  messageIds(): string[] {
    return this.received.map((m) => m.messageId ?? '');
  }
}
