import type { Models } from '../../models';
import { findByIds } from '../../models/case-index';
import type { VisitRecord } from '../../models/visit';
import { VISIT } from '../../contracts/visit/definitions';
import type { SearchSource } from '../search/index';
import { providerNames } from '../search/providers';

/**
 * What a visit offers search: its provider (code and name), service, reasons and concerns, all
 * staff-written; its panel's names are not indexed (personal, and no search needs them). Its
 * panel's staff ids let a panel member find the visits they sit on, as the visit's own page does.
 */
export const visitSearch: SearchSource = {
  process: VISIT.name,
  model: (models: Models) => models.Visit,
  async read(models, references) {
    const records = await findByIds<VisitRecord>(models.Visit, references, { _id: 1, status: 1, providerCode: 1, service: 1, reasons: 1, concerns: 1, visitDate: 1, announced: 1, panel: 1 });
    const names = await providerNames(models, records.map((r) => r.providerCode));
    return records.map((r) => ({
      process: VISIT.name,
      reference: r._id,
      status: r.status,
    open: (VISIT.open as readonly string[]).includes(r.status),
      providerCode: r.providerCode,
      on: r.visitDate,
      title: `${r.announced ? 'Announced' : 'Unannounced'} visit to ${r.service}, ${names.get(r.providerCode) ?? r.providerCode} (${r.providerCode})`,
      text: [r.providerCode, names.get(r.providerCode), r.service, ...(r.reasons ?? []), r.concerns].filter((t): t is string => !!t),
      people: (r.panel ?? []).flatMap((m) => (m.staffId ? [m.staffId] : [])),
    }));
  },
};
