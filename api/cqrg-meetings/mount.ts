import type express from 'express';
import { methodNotAllowed } from '../errors';
import { CQRG_MEETING_EVENTS } from './events';
import { cqrgMeetingsRouter, providerMeetingsRouter } from './router';
import type { CqrgMeetingService } from './service';

/** The CQRG meetings' routes, mounted in one place (api/mount.ts). */
export function mountCqrgMeetings(app: express.Express, service: CqrgMeetingService): void {
  app.use('/api/cqrg-meetings', methodNotAllowed(cqrgMeetingsRouter(service, CQRG_MEETING_EVENTS)));
  app.use('/api/providers', methodNotAllowed(providerMeetingsRouter(service)));
}
