import { Client } from '@temporalio/client';
import type { Request } from 'express';
import { COMPLAINT_LINK, linkComplaints, missingComplaints, realLinks } from '../../records/visit/links';
import { visitIndexKeys, visitListRanges } from '../../records/visit/lists';
import { londonDate, subtractWorkingDays } from '../../lib/calendar';
import { Models } from '../../models';
import { findByIds, referenceOf, type KeyRange } from '../../models/case-index';
import type { VisitRecord } from '../../models/visit';
import { upgradeDeadlines, type Actor } from '../../contracts/kernel/case';
import { DEFAULTS, stateQuery, VISIT, type PanelRole, type VisitReason, type VisitState, type VisitWorkflowInput, type ImportedVisit } from '../../contracts/visit/definitions';
import type { ImportedStart } from '../../contracts/kernel/imported';
import { badRequest, HttpError } from '../errors';
import { Cases } from '../kernel/cases';
import type { CaseEvent } from '../kernel/events';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import { CreateVisitBody, ListVisitsQuery } from './schemas';
import { keyedPage, pageInMemory } from '../kernel/paging';

export interface VisitServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  referenceData: ReferenceData;
  calls: TemporalCalls;
}

/** What a client sees of a visit: the record, with the overdue flag worked out today. */
export function toView(record: VisitRecord, today: string) {
  return {
    reference: record._id,
    providerCode: record.providerCode,
    service: record.service,
    reasons: record.reasons as VisitReason[],
    announced: record.announced,
    plannedOn: record.plannedOn,
    visitDate: record.visitDate,
    status: record.status,
    nextDueOn: record.nextDueOn ?? null,
    nextDeadlineKind: record.nextDeadlineKind ?? null,
    overdue: !!record.nextDueOn && record.nextDueOn < today,
    deadlines: upgradeDeadlines((record.workflow as VisitState | undefined)?.deadlines),
    links: realLinks(record._id, record.links ?? []),
  };
}

/** The complaints a visit's record links to. */
const linkedComplaintsOf = (record: VisitRecord) => (record.links ?? []).filter((l) => l.kind === COMPLAINT_LINK).map((l) => l.reference);

export class VisitService {
  readonly cases: Cases<VisitRecord, VisitState>;

  constructor(private readonly deps: VisitServiceDeps) {
    this.cases = new Cases({
      ...deps,
      process: VISIT,
      model: deps.models.Visit,
      stateQuery,
      workflowInput: async (record) => record.workflowInput as VisitWorkflowInput,
      projectedState: (record) => (record.workflow as VisitState | undefined) ?? undefined,
    });
  }

  /**
   * Plan a visit and start its workflow (see Cases.open). The visit's record names the complaints
   * it follows up; each complaint's record names the visit once the visit exists (see
   * linkComplaints), so a crash between leaves only the visit's side, which a repeat of the
   * request (the same Idempotency-Key) completes. An imported one (npm run import) keeps the day
   * it was planned in the source system, and whether its provider was told of it already.
   */
  async create(body: CreateVisitBody, actor: Actor, idempotencyKey?: string, imported?: { start: ImportedStart<ImportedVisit>; plannedOn: string }) {
    const today = londonDate(Date.now());
    const plannedOn = imported?.plannedOn ?? today;
    // A visit imported as held already (on its date) opens past its plan: visited, perhaps its draft sent.
    const held = imported?.start.at.visitedOn ? { visitedOn: imported.start.at.visitedOn, draftSentOn: imported.start.at.draftSentOn } : undefined;
    const refusal = await this.refusal(body, today, !!held);
    const panel = body.panel.map((m, i) => ({ id: m.staffId ?? `member-${i + 1}`, name: m.name, role: m.role, ...(m.staffId && { staffId: m.staffId }), ...(m.email && { email: m.email }) }));
    const settings = {
      noticeWorkingDays: body.noticeWorkingDays ?? DEFAULTS.noticeWorkingDays,
      draftReportWorkingDays: body.draftReportWorkingDays ?? DEFAULTS.draftReportWorkingDays,
      factualAccuracyWorkingDays: body.factualAccuracyWorkingDays ?? DEFAULTS.factualAccuracyWorkingDays,
    };
    const { linkedComplaints, noticeWorkingDays: _n, draftReportWorkingDays: _d, factualAccuracyWorkingDays: _f, panel: _p, ...fields } = body;
    // Listed as its workflow will have it: a visit logged after it took place is due to be recorded now.
    const nextDueOn = body.visitDate < today ? today : body.visitDate;
    const status = held ? (held.draftSentOn ? 'draft_issued' : 'visited') : 'planned';
    const { replayed, record } = await this.cases.open({
      // The row's state is part of the request: the same source id with another state is another request.
      body: imported ? { ...body, importedAt: { ...imported.start.at, plannedOn } } : body,
      by: actor.id,
      idempotencyKey,
      refusal,
      build: (reference, workflowId) => ({
        _id: reference,
        ...fields,
        plannedOn,
        panel,
        links: linkedComplaints.map((c) => ({ kind: COMPLAINT_LINK, reference: c })),
        status,
        nextDueOn,
        nextDeadlineKind: held ? (held.draftSentOn ? 'factual_accuracy' : 'draft_report') : 'visit',
        indexKeys: visitIndexKeys({ reference, providerCode: body.providerCode, status, nextDueOn, visitDate: body.visitDate }),
        workflowId,
        // Ids and roles only: the panel's names stay in this record.
        workflowInput: {
          reference,
          providerCode: body.providerCode,
          plannedOn,
          announced: body.announced,
          reasons: body.reasons,
          linkedComplaints,
          visitDate: body.visitDate,
          panel: panel.map((m) => ({ id: m.id, role: m.role as PanelRole })),
          settings,
          ...(imported && { imported: imported.start }),
          openedBy: actor,
        } satisfies VisitWorkflowInput,
      }),
    });
    await linkComplaints(this.deps.models, record._id, linkedComplaintsOf(record));
    return { replayed, view: toView(record, today) };
  }

  /**
   * Why a plan is refused before anything is written: an inactive provider, an unannounced visit
   * logged too long after it took place (working days, local calendar; not a visit imported as held,
   * whose row says what became of it), complaints that do not exist.
   */
  private async refusal(body: CreateVisitBody, today: string, held: boolean): Promise<HttpError | undefined> {
    if (!(await this.deps.referenceData.isActiveProvider(body.providerCode))) {
      return badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`);
    }
    if (body.visitDate < today && !held) {
      const earliest = subtractWorkingDays(today, DEFAULTS.loggedAfterWorkingDays, await this.deps.referenceData.closureDates());
      if (body.visitDate < earliest) {
        return badRequest('body.visitDate', `an unannounced visit may be logged up to ${DEFAULTS.loggedAfterWorkingDays} working days after it took place: from ${earliest}`);
      }
    }
    const missing = await missingComplaints(this.deps.models, body.linkedComplaints);
    if (!missing.length) return undefined;
    const details = missing.map((ref) => ({ field: `body.linkedComplaints.${body.linkedComplaints.indexOf(ref)}`, reason: `no complaint ${ref}` }));
    return new HttpError(400, 'validation_failed', details.map((d) => `${d.field}: ${d.reason}`).join('; '), details);
  }

  /**
   * A page of a list, from the case index (records/visit/lists.ts), then its records by _id.
   * For a panel member (`panelMember`, their staff id), only the visits whose panel they sit on.
   */
  async list(query: ListVisitsQuery, panelMember?: string) {
    const today = londonDate(Date.now());
    const { CaseIndex, Visit } = this.deps.models;
    const ranges = visitListRanges({ status: query.status, provider: query.provider, month: query.month, overdue: query.overdue }, today);
    if (panelMember !== undefined) return this.panelList(query, ranges, panelMember, today);
    const { keys, total, ...page } = await keyedPage(CaseIndex, ranges, query);
    const records = await findByIds<VisitRecord>(Visit, keys.map(referenceOf));
    return { items: records.map((r) => toView(r, today)), ...page, total: total ?? 0 };
  }

  /**
   * A panel member's own visits (a few a year), in the list's order: each placed by its own index
   * keys in the same ranges the full list reads, so the filters mean what they mean there.
   */
  private async panelList(query: ListVisitsQuery, ranges: KeyRange[], member: string, today: string) {
    const mine = await this.deps.models.Visit.find({ 'panel.staffId': member }).lean<VisitRecord[]>();
    const placed = mine.flatMap((r) => {
      const keys = visitIndexKeys({ reference: r._id, providerCode: r.providerCode, status: r.status, nextDueOn: r.nextDueOn, visitDate: r.visitDate });
      for (const [at, range] of ranges.entries()) {
        const key = keys.find((k) => k >= range.from && k < range.to);
        if (key) return [{ at, key, record: r }];
      }
      return [];
    });
    placed.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    const { items, ...page } = pageInMemory(placed, ranges, query);
    return { items: items.map((p) => toView(p.record, today)), ...page };
  }

  async get(reference: string) {
    const record = await this.cases.record(reference);
    // Live state from the workflow; the projection still answers if Temporal is away.
    return this.detail(record, this.cases.live(record));
  }

  /** A human event, sent through its line of the event table; answers the visit as it now stands. */
  async event(event: CaseEvent<VisitState>, reference: string, req: Request) {
    const { record, live } = await event.send(this.cases, reference, req);
    return this.detail(record, Promise.resolve(live));
  }

  private async detail(record: VisitRecord, liveState: Promise<VisitState | null>) {
    const [live, timeline] = await Promise.all([liveState, this.cases.timeline(record._id)]);
    return {
      ...toView(record, londonDate(Date.now())),
      ...(live ? { deadlines: live.deadlines } : {}),
      concerns: record.concerns ?? null,
      panel: (record.panel ?? []).map(({ id, name, role, email }) => ({ id, name, role, ...(email && { email }) })),
      ...this.cases.stateOf(record, live),
      timeline,
    };
  }
}
