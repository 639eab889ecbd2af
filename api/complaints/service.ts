import { Client } from '@temporalio/client';
import { complaintDashboardRanges, complaintDashboardRow, complaintIndexKeys, complaintListRanges } from '../../records/complaint/lists';
import { acknowledgementDeadline, complaintWorkflowInput, receiptChecks } from '../../records/complaint/start';
import { countRange, findByIds, referenceOf } from '../../models/case-index';
import { londonDate } from '../../lib/calendar';
import { Models } from '../../models';
import { ComplaintRecord } from '../../models/complaint';
import { currentCoding } from '../../models/ko41a';
import { COMPLAINT, ComplaintState, ComplaintWorkflowInput, stateQuery, type ImportedComplaint } from '../../contracts/complaint/definitions';
import type { ImportedStart } from '../../contracts/kernel/imported';
import { upgradeDeadlines, type Actor } from '../../contracts/kernel/case';
import type { Request } from 'express';
import { badRequest, HttpError } from '../errors';
import { Cases } from '../kernel/cases';
import { seesPersonalDetails } from '../kernel/request';
import type { CaseEvent } from '../kernel/events';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import type { CodingBody } from './coding';
import { ComplaintDashboardQuery, CreateComplaintBody, ListComplaintsQuery } from './schemas';
import { keyedPage } from '../kernel/paging';
import { linkComplaints, relatedOf } from './related';

export interface ServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  /** Providers and closure days, cached; the app's one copy, shared with the closure-day routes. */
  referenceData: ReferenceData;
  /** The app's bounded calls to Temporal (see ../temporal.ts). */
  calls: TemporalCalls;
}

/**
 * What a client sees of a case: the record, with the list's overdue flag worked out today. The
 * complainant's communication needs (braille, an interpreter, easy read: what a disability asks
 * for) only for those who see personal details.
 */
export function toView(record: ComplaintRecord, today: string, personal: boolean) {
  return {
    reference: record._id,
    providerCode: record.providerCode,
    source: record.source,
    receivedAt: record.receivedOn,
    category: record.category ?? null,
    // Today's shape: a record coded before aspects shows its one subject as one aspect.
    coding: currentCoding(record.coding),
    status: record.status,
    consentToShare: record.consentToShare,
    acknowledgeBy: record.acknowledgeBy,
    nextDueOn: record.nextDueOn ?? null,
    nextDeadlineKind: record.nextDeadlineKind ?? null,
    overdue: !!record.nextDueOn && record.nextDueOn < today,
    ...(personal && { communicationNeeds: record.communicationNeeds ?? [] }),
    // Today's shape, whichever version of the workflow projected them.
    deadlines: upgradeDeadlines(record.workflow?.deadlines),
    outcome: record.outcome ?? null,
  };
}

export class ComplaintService {
  readonly cases: Cases<ComplaintRecord, ComplaintState>;

  constructor(private readonly deps: ServiceDeps) {
    this.cases = new Cases({
      ...deps,
      process: COMPLAINT,
      model: deps.models.Complaint,
      stateQuery,
      workflowInput: (record) => complaintWorkflowInput(record),
      projectedState: (record) => (record.workflow as ComplaintState | undefined) ?? undefined,
    });
  }

  /**
   * Open a case and start its workflow (see Cases.open). An imported case (npm run import) opens
   * at the state its row says: its workflow plans the deadlines of that state (workflows/complaint/imported.ts),
   * and the first projection lists it so.
   */
  async create(body: CreateComplaintBody, actor: Actor, idempotencyKey?: string, imported?: ImportedStart<ImportedComplaint>) {
    const activeProvider = await this.deps.referenceData.isActiveProvider(body.providerCode);
    // A statutory deadline: local closure days do not move it.
    const acknowledgement = acknowledgementDeadline(body.receivedAt);
    const { receivedAt, ...fields } = body;
    const { replayed, record } = await this.cases.open({
      // The row's state is part of the request: the same source id with another state is another request.
      body: imported ? { ...body, importedAt: imported.at } : body,
      by: actor.id,
      idempotencyKey,
      refusal: activeProvider ? undefined : badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`),
      build: (reference, workflowId) => ({
        _id: reference,
        ...fields,
        receivedOn: receivedAt,
        status: 'received',
        acknowledgeBy: acknowledgement.dueOn,
        nextDueOn: acknowledgement.dueOn,
        nextDeadlineKind: 'acknowledgement',
        indexKeys: complaintIndexKeys({ reference, providerCode: body.providerCode, status: 'received', nextDueOn: acknowledgement.dueOn, receivedOn: receivedAt }),
        workflowId,
        // Kept so a repeat, or the reconciler, can start the same workflow if this request dies.
        workflowInput: {
          reference,
          providerCode: body.providerCode,
          receivedOn: receivedAt,
          consentToShare: body.consentToShare,
          acknowledgement,
          receipt: receiptChecks({ ...body, receivedOn: receivedAt }),
          ...(imported && { imported }),
          openedBy: actor,
        } satisfies ComplaintWorkflowInput,
      }),
    });
    const view = toView(record, londonDate(Date.now()), true);
    // Until the workflow's first projection lands, the deadline planned here is the one in force.
    if (!replayed) view.deadlines = { acknowledgement };
    // Has this person complained before? Shown, never blocking (the create is done). Not asked of an
    // import, whose report has no use for it: a file with many cases of one person would read all
    // the earlier ones again for every row (the import bench's rate fell from 6.7 to 0.5 rows a second).
    return { replayed, view: { ...view, possiblyRelated: imported ? [] : await relatedOf(this.deps.models, record) } };
  }

  /** A page of a list, from the case index (records/complaint/lists.ts), then its records by _id. */
  async list(query: ListComplaintsQuery, personal: boolean) {
    const today = londonDate(Date.now());
    const { CaseIndex, Complaint } = this.deps.models;
    const ranges = complaintListRanges({ status: query.status, provider: query.provider, overdue: query.overdue }, today);
    const { keys, total, ...page } = await keyedPage(CaseIndex, ranges, query);
    const records = await findByIds<ComplaintRecord>(Complaint, keys.map(referenceOf));
    return { items: records.map((r) => toView(r, today, personal)), ...page, total: total ?? 0 };
  }

  /**
   * Counts of cases by status, open and overdue, in all and for each provider (or the one asked
   * for): each cell a count of a range of the case index.
   */
  async dashboard(query: ComplaintDashboardQuery) {
    const today = londonDate(Date.now());
    const { CaseIndex } = this.deps.models;
    const providers = query.provider
      ? [{ code: query.provider, name: null as string | null }]
      : (await this.deps.referenceData.providers()).map((p) => ({ code: p._id, name: p.name }));
    const row = async (provider?: string) =>
      complaintDashboardRow(
        Object.fromEntries(
          await Promise.all(
            Object.entries(complaintDashboardRanges(provider, today)).map(async ([cell, ranges]) => {
              const counts = await Promise.all(ranges.map((r) => countRange(CaseIndex, r)));
              return [cell, counts.reduce((a, b) => a + b, 0)] as const;
            }),
          ),
        ),
      );
    const [all, ...rows] = await Promise.all([row(), ...providers.map((p) => row(p.code))]);
    return { today, all, providers: providers.map((p, i) => ({ providerCode: p.code, name: p.name, counts: rows[i] })) };
  }

  async get(reference: string, personal: boolean) {
    const record = await this.cases.record(reference);
    // Live state from the workflow; the projection still answers if Temporal is away.
    return this.detail(record, this.cases.live(record), personal);
  }

  /**
   * Set or change the case's KO41a coding, replacing what it had: a record field for the return
   * and the annual report, not a workflow event (a finished case can still be coded).
   */
  async setCoding(reference: string, coding: CodingBody) {
    const { matchedCount } = await this.deps.models.Complaint.updateOne({ _id: reference }, { $set: { coding } });
    if (!matchedCount) throw new HttpError(404, 'not_found', `no case ${reference}`);
    return { reference, coding };
  }

  /** Link the case to a possibly related complaint, on both records. */
  linkRelated(reference: string, other: string) {
    return linkComplaints(this.deps.models, reference, other);
  }

  /** A human event, sent through its line of the event table; answers the case as it now stands. */
  async event(event: CaseEvent<ComplaintState>, reference: string, req: Request) {
    const { record, live } = await event.send(this.cases, reference, req);
    return this.detail(record, Promise.resolve(live), seesPersonalDetails(req));
  }

  /**
   * The case as the caller may see it: the complainant's and patient's own details (who they are,
   * the complaint in their words, notes on how to reach them) only for the roles that need them.
   */
  private async detail(record: ComplaintRecord, liveState: Promise<ComplaintState | null>, personal: boolean) {
    const [live, timeline, related] = await Promise.all([liveState, this.cases.timeline(record._id), personal ? relatedOf(this.deps.models, record) : undefined]);
    const details = personal
      ? {
          summary: record.summary,
          complainant: record.complainant ?? undefined,
          // Reg 5: in the case view only, never in lists.
          madeBy: record.madeBy ?? undefined,
          patient: record.patient ?? undefined,
          representative: record.representative ?? undefined,
          communicationNotes: record.communicationNotes,
          possiblyRelated: related,
        }
      : { redacted: PERSONAL_FIELDS };
    return {
      ...toView(record, londonDate(Date.now()), personal),
      ...(live ? { deadlines: live.deadlines } : {}),
      ...details,
      leadBody: record.leadBody,
      otherBodies: record.otherBodies,
      method: record.method ?? null,
      matterOccurredOn: record.matterOccurredOn ?? null,
      becameAwareOn: record.becameAwareOn ?? null,
      safeguardingConcern: !!record.safeguardingConcern,
      // Visits (and, later, action plans) that follow the case up; written from their side.
      links: (record.links ?? []).map(({ kind, reference }) => ({ kind, reference })),
      ...this.cases.stateOf(record, live),
      timeline,
    };
  }
}

/** What a role without sight of personal details does not get, named so the page can say so. */
export const PERSONAL_FIELDS = ['summary', 'complainant', 'madeBy', 'patient', 'representative', 'communicationNeeds', 'communicationNotes'];
