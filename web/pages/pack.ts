import { Router } from 'express';
import { ROUTING } from '../../api/auth/routes';
import { fromZodError } from '../../api/errors';
import { londonDate } from '../../lib/calendar';
import { packParams, packQuery, PDF, sendPack, type PackFormat } from '../../api/packs/router';
import { packSections } from '../../api/packs/tables';
import type { Web } from '../web';
import { requireAccess } from '../session';

/**
 * The CQRG pack of one provider for one meeting (api/packs): a page, and its PDF and CSV to
 * download, under /providers/:code/pack, read through the same line of the permission matrix as
 * the API's route. Without a meeting, today's date: the pack as it stands.
 */
export function packPages(web: Web): Router {
  const router = Router(ROUTING);
  const access = requireAccess(web.guard, { method: 'GET', route: '/api/providers/:code/pack' });
  const parse = (params: unknown, query: Record<string, unknown>) => {
    const p = packParams.safeParse(params);
    if (!p.success) throw fromZodError(p.error, 'params');
    const q = packQuery.safeParse({ meeting: typeof query.meeting === 'string' && query.meeting ? query.meeting : londonDate(Date.now()) });
    if (!q.success) throw fromZodError(q.error, 'query');
    return { code: p.data.code, meetingOn: q.data.meeting };
  };
  const name = async (code: string) => (await web.services.referenceData.providers()).find((p) => p._id === code)?.name ?? null;

  router.get('/:code/pack', access, async (req, res) => {
    const { code, meetingOn } = parse(req.params, req.query);
    const pack = await web.services.packs.build(code, meetingOn);
    web.render(req, res, 'chair/pack.njk', {
      title: `CQRG pack: ${code}, meeting on ${meetingOn}`,
      back: { href: `/providers/${code}`, text: `Outstanding actions: ${code}` },
      pack,
      providerName: await name(code),
      sections: packSections(pack),
    });
  });

  for (const [ext, format] of [['pdf', PDF], ['csv', 'text/csv']] as const)
    router.get(`/:code/pack.${ext}`, access, async (req, res) => {
      const { code, meetingOn } = parse(req.params, req.query);
      await sendPack(web.services.packs, res, code, meetingOn, format as PackFormat, () => name(code));
    });
  return router;
}
