import { z, pastDate, isoDate } from '../../lib/zod';
import { DEFAULTS, type ImportedComplaint } from '../../contracts/complaint/definitions';
import { madeOutOfTime } from '../../records/complaint/start';
import { flag, whole, type Cells, type Column, type Importer, type Problem } from '../import/importer';
import { parseRow, providerProblems, stateColumns, verdict } from '../import/check';
import { createComplaintBody, type CreateComplaintBody } from './schemas';
import type { ComplaintService } from './service';

/**
 * Complaints brought over from another system (api/import/): the template's columns, each row
 * checked by the API's own request schema (createComplaintBody) and by the rules its state must
 * meet (those of workflows/complaint/rules/, restated here where the API cannot reach them), then
 * opened through the service at that state (workflows/complaint/imported.ts).
 */

export const COMPLAINT_COLUMNS: Column[] = [
  { name: 'sourceId', required: true, description: "The case's id in the source system: the import's key", example: 'DX-10231' },
  { name: 'providerCode', required: true, description: "The provider's ODS code (an active provider)", example: 'RJ2' },
  { name: 'receivedOn', required: true, date: true, description: 'The day the complaint was received', example: '2026-11-02' },
  { name: 'source', required: true, description: 'complainant, mp, healthwatch, pals or provider', example: 'complainant' },
  { name: 'method', required: false, description: 'oral, written (default) or electronic', example: 'written' },
  { name: 'summary', required: true, description: 'The complaint in the complainant’s words', example: 'Discharged without medication.' },
  { name: 'consentToShare', required: true, description: 'yes or no: consent to share with the provider', example: 'yes' },
  { name: 'complainantName', required: false, description: "The complainant's name", example: 'Alex Example' },
  { name: 'complainantEmail', required: false, description: "The complainant's email", example: 'alex@example.org' },
  { name: 'complainantPhone', required: false, description: "The complainant's phone", example: '020 7946 0000' },
  { name: 'category', required: false, description: 'A free-text category', example: 'discharge' },
  { name: 'matterOccurredOn', required: false, date: true, description: 'When the matter happened (reg 12)', example: '2026-10-20' },
  { name: 'safeguardingConcern', required: false, description: 'yes or no (default no)', example: 'no' },
  { name: 'acknowledgedOn', required: false, date: true, description: 'Acknowledged on: the case opens acknowledged', example: '2026-11-04' },
  { name: 'responseDueOn', required: false, date: true, description: `The response date agreed (default ${DEFAULTS.responseWorkingDays} working days after acknowledgement)`, example: '2027-01-15' },
  { name: 'providerAccountRequestedOn', required: false, date: true, description: "The day the provider's account was requested", example: '2026-11-05' },
  { name: 'providerAccountWorkingDays', required: false, description: `Working days the provider was given (default ${DEFAULTS.providerAccountWorkingDays})`, example: '10' },
  { name: 'providerAccountReceivedOn', required: false, date: true, description: "The day the provider's account came in", example: '' },
  { name: 'lastUpdateOn', required: false, date: true, description: 'The last update on progress the complainant had', example: '2026-11-20' },
];

/** The request's paths as the template's columns. */
const COLUMN_OF: Record<string, string> = {
  receivedAt: 'receivedOn',
  'complainant.name': 'complainantName',
  'complainant.email': 'complainantEmail',
  'complainant.phone': 'complainantPhone',
};
const columnOf = (p: string) => COLUMN_OF[p] ?? p;

const state = stateColumns({
  acknowledgedOn: pastDate.optional(),
  responseDueOn: isoDate.optional(),
  providerAccountRequestedOn: pastDate.optional(),
  providerAccountWorkingDays: z.number({ error: 'must be a whole number of working days' }).int().min(1).max(60).optional(),
  providerAccountReceivedOn: pastDate.optional(),
  lastUpdateOn: pastDate.optional(),
});

export interface ImportableComplaint {
  body: CreateComplaintBody;
  at: ImportedComplaint;
}

/** The rules the row's state must meet, as the events that would have made it check them. */
function stateProblems(body: CreateComplaintBody, at: ImportedComplaint): Problem[] {
  const p: Problem[] = [];
  const need = (field: keyof ImportedComplaint, on: keyof ImportedComplaint, what: string) => {
    if (at[field] !== undefined && at[on] === undefined) p.push({ field, reason: `needs ${on}: ${what}` });
  };
  const notBefore = (field: keyof ImportedComplaint, than: string | undefined, what: string) => {
    const v = at[field];
    if (typeof v === 'string' && than && v < than) p.push({ field, reason: `cannot be before ${what} (${than})` });
  };
  need('responseDueOn', 'acknowledgedOn', 'a response date is set as the complaint is acknowledged');
  need('providerAccountRequestedOn', 'acknowledgedOn', 'the case must be acknowledged first');
  need('providerAccountWorkingDays', 'providerAccountRequestedOn', 'the working days are the provider’s from its request');
  need('providerAccountReceivedOn', 'providerAccountRequestedOn', 'no provider account has been requested');
  need('lastUpdateOn', 'acknowledgedOn', 'updates on progress are sent once the case is acknowledged');
  notBefore('acknowledgedOn', body.receivedAt, 'receipt');
  if (at.responseDueOn && at.acknowledgedOn && at.responseDueOn <= at.acknowledgedOn) p.push({ field: 'responseDueOn', reason: 'the agreed response date must be after the acknowledgement' });
  notBefore('providerAccountRequestedOn', at.acknowledgedOn, 'acknowledgement');
  notBefore('providerAccountReceivedOn', at.providerAccountRequestedOn, 'the request');
  notBefore('lastUpdateOn', at.acknowledgedOn, 'acknowledgement');
  // Regulations: nothing is shared with the provider until the complainant consents.
  if (at.providerAccountRequestedOn && !body.consentToShare) p.push({ field: 'providerAccountRequestedOn', reason: 'consent to share with the provider has not been recorded (consentToShare is no)' });
  if (at.acknowledgedOn) {
    // Not importable yet: the decisions these need before an acknowledgement (docs/import.md).
    if (body.method === 'oral') p.push({ field: 'acknowledgedOn', reason: 'an oral complaint is written down before it is acknowledged (reg 13(2)); import it as received and record the written record and acknowledgement in Oversight' });
    if (madeOutOfTime(body.receivedAt, body.matterOccurredOn, body.becameAwareOn)) {
      p.push({ field: 'acknowledgedOn', reason: 'made more than 12 months after the matter: the decision to investigate (reg 12(4)) is recorded first; import it as received' });
    }
  }
  return p;
}

export function complaintImporter(service: ComplaintService): Importer {
  return {
    process: 'complaint',
    sheet: 'complaints', // IMPORT_SHEETS (api/importers.ts) names it for the template
    columns: COMPLAINT_COLUMNS,
    async check([c]: Cells[], ctx) {
      const complainant = c.complainantName || c.complainantEmail || c.complainantPhone ? { name: c.complainantName, email: c.complainantEmail, phone: c.complainantPhone } : undefined;
      const raw = {
        providerCode: c.providerCode,
        receivedAt: c.receivedOn,
        source: c.source,
        ...(c.method && { method: c.method }),
        summary: c.summary,
        consentToShare: flag(c.consentToShare),
        ...(complainant && { complainant: Object.fromEntries(Object.entries(complainant).filter(([, v]) => v !== undefined)) }),
        ...(c.category && { category: c.category }),
        ...(c.matterOccurredOn && { matterOccurredOn: c.matterOccurredOn }),
        ...(c.safeguardingConcern && { safeguardingConcern: flag(c.safeguardingConcern) }),
      };
      const dates = {
        sourceId: c.sourceId,
        acknowledgedOn: c.acknowledgedOn,
        responseDueOn: c.responseDueOn,
        providerAccountRequestedOn: c.providerAccountRequestedOn,
        providerAccountWorkingDays: whole(c.providerAccountWorkingDays),
        providerAccountReceivedOn: c.providerAccountReceivedOn,
        lastUpdateOn: c.lastUpdateOn,
      };
      const row = parseRow({ schema: createComplaintBody, raw }, { schema: state, raw: dates }, columnOf);
      if (!row.ok) return row;
      const { sourceId, ...at } = row.at;
      const problems = [...stateProblems(row.body, at), ...(await providerProblems(ctx, row.body.providerCode))];
      const value: ImportableComplaint = { body: row.body, at };
      return verdict(sourceId, problems, (key, start, actor) => service.create(value.body, actor, key, { ...start, at: value.at }));
    },
  };
}
