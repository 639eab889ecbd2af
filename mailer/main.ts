import { mailerProcess } from './run';

/** The mailer process (docker-compose `mailer` service, `npm start`): see ./run.ts. */
mailerProcess();
