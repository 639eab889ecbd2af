import { z, pastDate } from '../../lib/zod';
import { THEMES } from '../../contracts/action-plan/definitions';
import { problemsOf, type Cells, type Column, type Importer, type Problem } from '../import/importer';
import { providerProblems, stateColumns, verdict } from '../import/check';
import { createActionPlanBody } from './schemas';
import type { ActionPlanService } from './service';

/**
 * Action plans brought over from another system (api/import/): one row per action, the rows of a
 * plan sharing its `planSourceId` (the plan's columns on its first row; later rows may leave them
 * empty). Each plan is checked by the API's request schema (createActionPlanBody) and the rule an
 * action's completion meets (only with evidence, not before the plan), then opened through the
 * service with its completed actions complete (workflows/action-plan/imported.ts).
 */

const PLAN_COLUMNS = ['providerCode', 'theme', 'title', 'sourceKind', 'sourceReference', 'meetingOn', 'chairId', 'chairName', 'openedOn'] as const;

export const ACTION_PLAN_COLUMNS: Column[] = [
  { name: 'planSourceId', required: true, description: "The plan's id in the source system: the import's key; one row per action, the plan's rows sharing it", example: 'AP-2026-04' },
  { name: 'providerCode', required: true, description: "The provider's ODS code (an active provider)", example: 'RJ2' },
  { name: 'theme', required: true, description: THEMES.join(', '), example: 'accessible_information_standard' },
  { name: 'title', required: true, description: "The plan's title", example: 'Accessible Information Standard: flagging needs' },
  { name: 'sourceKind', required: true, description: 'cqrg_meeting, insight_visit or complaint', example: 'cqrg_meeting' },
  { name: 'sourceReference', required: false, description: "The insight visit's or complaint's reference in Oversight (VIS-…, CMP-…)", example: '' },
  { name: 'meetingOn', required: false, date: true, description: 'The CQRG meeting the plan came from (for cqrg_meeting)', example: '2026-10-14' },
  { name: 'chairId', required: true, description: "The CQRG chair's staff id", example: 'chair.rj2' },
  { name: 'chairName', required: true, description: "The CQRG chair's name", example: 'Dr Chris Chair' },
  { name: 'openedOn', required: true, date: true, description: 'The day the plan was opened in the source system', example: '2026-10-15' },
  { name: 'description', required: true, description: 'The action: what is to be done', example: 'Flag communication needs on the PAS' },
  { name: 'ownerId', required: true, description: "The action owner's staff id", example: 'owner.rj2' },
  { name: 'ownerName', required: true, description: "The action owner's name", example: 'Olu Owner' },
  { name: 'dueOn', required: true, date: true, description: 'The day the action is due', example: '2027-01-29' },
  { name: 'completedOn', required: false, date: true, description: 'Completed on (its evidence accepted): the action imports complete', example: '' },
  { name: 'evidence', required: false, description: 'The evidence of completion (needed with completedOn)', example: '' },
];

/** The request's paths as the template's columns, and the row of the plan they came from. */
function columnAndRow(path: readonly PropertyKey[]): { field: string; row?: number } {
  const [head, index, ...rest] = path.map(String);
  if (head === 'actions' && index !== undefined) {
    const field = rest.join('.');
    return { field: field === 'owner.id' ? 'ownerId' : field === 'owner.name' ? 'ownerName' : field || 'description', row: Number(index) };
  }
  const p = path.map(String).join('.');
  const named: Record<string, string> = { 'chair.id': 'chairId', 'chair.name': 'chairName', 'source.kind': 'sourceKind', 'source.reference': 'sourceReference', 'source.meetingOn': 'meetingOn' };
  return { field: named[p] ?? p };
}

const planColumns = stateColumns({ openedOn: pastDate });
const completion = z.object({ completedOn: pastDate.optional(), evidence: z.string().trim().min(1).max(5000).optional() }).strict();

export function actionPlanImporter(service: ActionPlanService): Importer {
  return {
    process: 'action-plan',
    sheet: 'action-plans', // IMPORT_SHEETS (api/importers.ts) names it for the template
    columns: ACTION_PLAN_COLUMNS,
    groupBy: 'planSourceId',
    async check(rows: Cells[], ctx) {
      const [first] = rows;
      const problems: Problem[] = [];
      // The plan's columns are the first row's; a later row that says otherwise is refused, saying so.
      rows.forEach((c, i) => {
        for (const col of PLAN_COLUMNS) if (i > 0 && c[col] !== undefined && c[col] !== first[col]) problems.push({ field: col, reason: `says ${c[col]} where the plan's first row says ${first[col] ?? 'nothing'}`, row: i });
      });
      const raw = {
        providerCode: first.providerCode,
        theme: first.theme,
        title: first.title,
        source: { kind: first.sourceKind, ...(first.sourceReference && { reference: first.sourceReference }), ...(first.meetingOn && { meetingOn: first.meetingOn }) },
        chair: { id: first.chairId, name: first.chairName },
        actions: rows.map((c) => ({ description: c.description, owner: { id: c.ownerId, name: c.ownerName }, dueOn: c.dueOn })),
      };
      const body = createActionPlanBody.safeParse(raw);
      if (!body.success) for (const i of body.error.issues) problems.push({ ...columnAndRow(i.path), reason: problemsOf([i], String)[0].reason });
      const plan = planColumns.safeParse({ sourceId: first.planSourceId, openedOn: first.openedOn });
      if (!plan.success) problems.push(...problemsOf(plan.error.issues, (p) => (p === 'sourceId' ? 'planSourceId' : p)));
      const completed: { index: number; completedOn: string; evidence: string }[] = [];
      rows.forEach((c, i) => {
        const done = completion.safeParse({ completedOn: c.completedOn, evidence: c.evidence });
        if (!done.success) return problems.push(...problemsOf(done.error.issues, String).map((p) => ({ ...p, row: i })));
        const { completedOn, evidence } = done.data;
        // An action is completed only with evidence (docs/processes/action-plan.md), and not before its plan.
        if (completedOn && !evidence) problems.push({ field: 'evidence', reason: 'an action is completed only with evidence of it', row: i });
        if (evidence && !completedOn) problems.push({ field: 'completedOn', reason: 'evidence is given: say the day the action was completed, or leave the evidence out', row: i });
        if (completedOn && plan.success && completedOn < plan.data.openedOn) problems.push({ field: 'completedOn', reason: `cannot be before the plan was opened (${plan.data.openedOn})`, row: i });
        if (completedOn && evidence) completed.push({ index: i, completedOn, evidence });
      });
      const sourceId = plan.success ? plan.data.sourceId : first.planSourceId;
      if (body.success) problems.push(...(await providerProblems(ctx, body.data.providerCode)));
      if (!body.success || !plan.success) return { ok: false, sourceId, problems };
      const { openedOn } = plan.data;
      const value = body.data;
      return verdict(plan.data.sourceId, problems, (key, start, actor) => service.create(value, actor, key, { start, openedOn, completed }));
    },
  };
}

