import { mailerProcess } from '../../mailer/run';

/**
 * The mailer as its own process, for the test that kills it with SIGKILL: mailer/main.ts, with
 * its clock set to MAILER_TEST_NOW at start (working hours whenever the test runs) and running on.
 */
const offset = Date.parse(process.env.MAILER_TEST_NOW!) - Date.now();
mailerProcess({ now: () => new Date(Date.now() + offset) });
