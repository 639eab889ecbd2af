import { pastDate } from '../../lib/zod';
import { londonDate } from '../../lib/calendar';
import { PANEL_ROLES, VISIT_REASONS } from '../../contracts/visit/definitions';
import { flag, type Cells, type Column, type Importer, type Problem } from '../import/importer';
import { parseRow, providerProblems, stateColumns, verdict } from '../import/check';
import { createVisitBody } from './schemas';
import type { VisitService } from './service';

/**
 * Insight visits brought over from another system (api/import/): planned, their date ahead, an
 * announced one's provider perhaps told already; or held already, their draft report due or sent. Each row is checked by the API's request schema
 * (createVisitBody: the panel's lay member and patient representative, an announced visit ahead),
 * then opened through the service at that state.
 */

export const VISIT_COLUMNS: Column[] = [
  { name: 'sourceId', required: true, description: "The visit's id in the source system: the import's key", example: 'IV-2026-31' },
  { name: 'providerCode', required: true, description: "The provider's ODS code (an active provider)", example: 'RJ2' },
  { name: 'service', required: true, description: 'The service or ward visited', example: 'Ward 7 (older people’s care)' },
  { name: 'reasons', required: true, description: `Why, separated by ; (${VISIT_REASONS.join(', ')})`, example: 'complaints; cqrg_concern' },
  { name: 'concerns', required: false, description: 'What prompted the visit', example: '' },
  { name: 'announced', required: true, description: 'yes or no', example: 'yes' },
  { name: 'visitDate', required: true, date: true, description: 'The day of the visit: today or later, or the day it took place (visitedOn)', example: '2027-01-20' },
  { name: 'plannedOn', required: true, date: true, description: 'The day it was planned in the source system', example: '2026-11-16' },
  { name: 'panel', required: true, description: `The panel, each "role: name" separated by ; (${PANEL_ROLES.join(', ')}); a lay member and a patient representative among them`, example: 'lay_member: Lee Lay; patient_representative: Pat Rep; quality_team: Sam Officer' },
  { name: 'providerNotifiedOn', required: false, date: true, description: 'Announced visits: the day the provider was told and asked for information', example: '' },
  { name: 'visitedOn', required: false, date: true, description: 'A visit held already: the day it took place, its visitDate (its draft report falls due from it)', example: '' },
  { name: 'draftSentOn', required: false, date: true, description: "A visit held: the day its draft report went to the provider (the provider's factual-accuracy window runs from it)", example: '' },
];

const list = (v: string | undefined) => (v ?? '').split(';').map((x) => x.trim()).filter(Boolean);

/** "role: name; role: name" as panel members; a seat without a colon keeps its text for zod to refuse as a role. */
const panelOf = (v: string | undefined) =>
  list(v).map((seat) => {
    const k = seat.indexOf(':');
    return k < 0 ? { role: seat, name: '' } : { role: seat.slice(0, k).trim(), name: seat.slice(k + 1).trim() };
  });

const columnOf = (p: string) => (p.startsWith('panel') ? 'panel' : p.startsWith('reasons') ? 'reasons' : p);

const state = stateColumns({ plannedOn: pastDate, providerNotifiedOn: pastDate.optional(), visitedOn: pastDate.optional(), draftSentOn: pastDate.optional() });

export function visitImporter(service: VisitService): Importer {
  return {
    process: 'visit',
    sheet: 'visits', // IMPORT_SHEETS (api/importers.ts) names it for the template
    columns: VISIT_COLUMNS,
    async check([c]: Cells[], ctx) {
      const raw = {
        providerCode: c.providerCode,
        service: c.service,
        reasons: list(c.reasons),
        ...(c.concerns && { concerns: c.concerns }),
        announced: flag(c.announced),
        // A held visit's date is its visitedOn, checked below: the request's own check (an announced
        // visit ahead of today) is for a visit being planned, so it reads the plan as of today.
        visitDate: c.visitedOn ? londonDate(Date.now()) : c.visitDate,
        panel: panelOf(c.panel),
      };
      const row = parseRow({ schema: createVisitBody, raw }, { schema: state, raw: { sourceId: c.sourceId, plannedOn: c.plannedOn, providerNotifiedOn: c.providerNotifiedOn, visitedOn: c.visitedOn, draftSentOn: c.draftSentOn } }, columnOf);
      if (!row.ok) return row;
      const { sourceId, plannedOn, providerNotifiedOn, visitedOn, draftSentOn } = row.at;
      const v = { ...row.body, ...(visitedOn && { visitDate: visitedOn }) };
      const problems: Problem[] = [];
      // A visit takes place on its date (re-dated first, in the source system, if it was held on another).
      if (visitedOn && c.visitDate !== visitedOn) problems.push({ field: 'visitDate', reason: `a visit takes place on its date: its visitDate must be the day it took place (${visitedOn})` });
      if (!visitedOn && v.visitDate < londonDate(Date.now())) problems.push({ field: 'visitDate', reason: 'a visit whose date has passed imports as held: give the day it took place (visitedOn)' });
      if (draftSentOn && !visitedOn) problems.push({ field: 'draftSentOn', reason: 'a draft report comes after the visit: give the day it took place (visitedOn)' });
      if (draftSentOn && visitedOn && draftSentOn < visitedOn) problems.push({ field: 'draftSentOn', reason: `cannot be before the visit (${visitedOn})` });
      if (plannedOn > v.visitDate) problems.push({ field: 'plannedOn', reason: `cannot be after the visit (${v.visitDate})` });
      if (providerNotifiedOn && !v.announced) problems.push({ field: 'providerNotifiedOn', reason: 'an unannounced visit gives the provider no notice' });
      if (providerNotifiedOn && providerNotifiedOn < plannedOn) problems.push({ field: 'providerNotifiedOn', reason: `cannot be before the visit was planned (${plannedOn})` });
      problems.push(...(await providerProblems(ctx, v.providerCode)));
      return verdict(sourceId, problems, (key, start, actor) => service.create(v, actor, key, { start: { ...start, at: { ...(providerNotifiedOn && { providerNotifiedOn }), ...(visitedOn && { visitedOn }), ...(draftSentOn && { draftSentOn }) } }, plannedOn }));
    },
  };
}
