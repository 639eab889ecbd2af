import { mailerProcess } from '../mailer/run';

/**
 * mailer/main.ts as the rehearsal runs it: the same mailer over the same outbox, with its clock
 * starting at REHEARSAL_MAIL_NOW (working hours, whatever day the rehearsal runs) and going
 * REHEARSAL_MAIL_SPEED times as fast (1 by default: a faster clock lapses the claims' lease as
 * fast, which is not what production does).
 */
const start = Date.now();
const from = Date.parse(process.env.REHEARSAL_MAIL_NOW ?? new Date().toISOString());
const speed = Number(process.env.REHEARSAL_MAIL_SPEED ?? 1);
mailerProcess({ now: () => new Date(from + (Date.now() - start) * speed) });
