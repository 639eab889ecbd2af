import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import { londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import { prefixRange } from '../../models/case-index';
import { isDuplicateKey } from '../../models/connection';
import type { CqrgMeetingRecord } from '../../models/cqrg-meeting';
import { CQRG_MEETING, reportDeadline, stateQuery, type CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import type { openMeetingBody, reportingPlanBody } from '../../contracts/cqrg-meeting/inputs';
import { upgradeDeadlines, type Actor } from '../../contracts/kernel/case';
import { meetingCycle, meetingView } from '../../records/cqrg-meeting/cycle';
import { meetingRecord, meetingRequest, openedMeetings } from '../../records/cqrg-meeting/opening';
import { asPlan, opensOn, reportsDueAt } from '../../records/cqrg-meeting/plan';
import { cqrgMeetingWorkflowInput } from '../../records/cqrg-meeting/start';
import type { DocumentService } from '../documents/service';
import { badRequest, HttpError } from '../errors';
import { Cases } from '../kernel/cases';
import { requireProvider, type ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import type { PlanDecisions } from './decisions';
import { applyPlan } from './plan-put';

export interface CqrgMeetingServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  calls: TemporalCalls;
  referenceData: ReferenceData;
  documents: DocumentService;
  /** The action plans, as decisions reach them (api/meeting-decisions.ts). */
  plans: PlanDecisions;
}

/**
 * A provider's reporting plan, its meetings as cases, and the chair's reads of its cycle. Every
 * list is a range of the case index; the meeting's record and its decisions are in ./record.ts.
 */
export class CqrgMeetingService {
  readonly cases: Cases<CqrgMeetingRecord, CqrgMeetingState>;

  constructor(readonly deps: CqrgMeetingServiceDeps) {
    this.cases = new Cases({
      ...deps,
      process: CQRG_MEETING,
      model: deps.models.CqrgMeeting,
      stateQuery,
      workflowInput: (record) => cqrgMeetingWorkflowInput(record),
      projectedState: (record) => (record.workflow as CqrgMeetingState | undefined) ?? undefined,
    });
  }

  today(): string {
    return londonDate(Date.now());
  }

  private async provider(code: string) {
    const provider = await this.deps.models.Provider.findById(code, { name: 1 }).lean();
    if (!provider) throw new HttpError(404, 'not_found', `no provider ${code}`);
    return provider;
  }

  /**
   * Set the provider's reporting plan: its meeting dates and the reports it owes for them. Then
   * what the plan does to its meetings (./plan-put.ts): those it opens by itself today opened,
   * those open and still to be held told what they are owed now; what Temporal could not take is
   * left to the reconciler and said (`pending`).
   */
  async putPlan(code: string, body: z.output<typeof reportingPlanBody>, actor: Actor) {
    await this.provider(code);
    const put = () => this.deps.models.ReportingPlan.updateOne({ _id: code }, { $set: { meetings: [...body.meetings].sort(), reports: body.reports, updatedBy: { id: actor.id, name: actor.name } } }, { upsert: true });
    // Two first puts at once: one inserts, the other's upsert may meet its _id and is then an update.
    const { upsertedCount } = await put().catch((err: unknown) => (isDuplicateKey(err) ? put() : Promise.reject(err)));
    const pending = await applyPlan(this, code, body, actor);
    return { created: upsertedCount === 1, pending, view: await this.plan(code) };
  }

  /** The plan, and for each meeting the reports due for it and its case, once opened. */
  async plan(code: string) {
    await this.provider(code);
    const plan = await this.deps.models.ReportingPlan.findById(code).lean();
    if (!plan) throw new HttpError(404, 'not_found', `provider ${code} has no reporting plan`);
    const rules = asPlan(plan);
    const closures = await this.deps.referenceData.closureDates();
    // Each meeting's case by the key that opened it (records/cqrg-meeting/opening.ts).
    const opened = await openedMeetings(this.deps.models, code, rules.meetings);
    return {
      providerCode: code,
      meetings: rules.meetings.map((meetingOn) => ({ meetingOn, reports: reportsDueAt(rules, meetingOn), reference: opened.get(meetingOn) ?? null, opensOn: opensOn(rules, meetingOn, closures) })),
      reports: rules.reports,
    };
  }

  /**
   * Put a meeting of the provider's cycle on as a case: the reports its plan says are due for it,
   * each a deadline. One case per provider and date, whoever opens it (by hand, or the plan as it
   * is put, or the reconciler: records/cqrg-meeting/opening.ts): a second open answers the first.
   */
  async open({ providerCode, meetingOn }: z.output<typeof openMeetingBody>, actor: Actor) {
    const openedOn = this.today();
    const [stored, active] = await Promise.all([this.deps.models.ReportingPlan.findById(providerCode).lean(), this.deps.referenceData.isActiveProvider(providerCode)]);
    const plan = stored ? asPlan(stored) : null;
    const refusal = !active
      ? badRequest('body.providerCode', `no active provider with ODS code ${providerCode}`)
      : !plan
        ? badRequest('body.providerCode', `provider ${providerCode} has no reporting plan: PUT /api/providers/${providerCode}/reporting-plan first`)
        : !plan.meetings.includes(meetingOn)
          ? badRequest('body.meetingOn', `is not a meeting date of ${providerCode}'s reporting plan (${plan.meetings.join(', ')})`)
          : meetingOn < openedOn
            ? badRequest('body.meetingOn', 'a meeting already past is recorded, not opened: its reports can no longer be chased')
            : undefined;
    const { body, by, idempotencyKey } = meetingRequest(providerCode, meetingOn);
    const opening = { body, by, idempotencyKey, refusal, build: meetingRecord({ plan, providerCode, meetingOn, openedOn, openedBy: actor }) };
    const { replayed, record } = await whenOpened(() => this.cases.open(opening));
    return { replayed, view: meetingView(record, openedOn) };
  }

  async get(reference: string) {
    const record = await this.cases.record(reference);
    return this.detail(record, await this.cases.live(record));
  }

  async detail(record: CqrgMeetingRecord, live: CqrgMeetingState | null) {
    const timeline = await this.cases.timeline(record._id);
    const state = live ?? (record.workflow as CqrgMeetingState | undefined);
    // Only the deadlines still chased: a report received, or a meeting recorded, has none.
    const chased = new Set(state?.status === 'scheduled' ? state.reports.filter((r) => !r.receivedOn).map((r) => reportDeadline(r.theme)) : []);
    const deadlines = Object.fromEntries(Object.entries(upgradeDeadlines(state?.deadlines)).filter(([id]) => chased.has(id)));
    return { ...meetingView(record, this.today()), deadlines, ...this.cases.stateOf(record, live), timeline };
  }

  /** The chair's view of a provider's cycle (records/cqrg-meeting/cycle.ts). */
  async cycle(code: string) {
    // The provider is checked beside the read: an unknown one has no meetings anyway.
    const [, cycle] = await Promise.all([requireProvider(this.deps.referenceData, code), meetingCycle(this.deps.models, code, this.today())]);
    return cycle;
  }

  /** What meetings asked of others, oldest first: visits for the quality team to plan, escalations for the quality lead. */
  async requests(kind: 'visit' | 'committee') {
    const { from, to } = prefixRange(kind);
    const rows = await this.deps.models.MeetingRequest.find({ _id: { $gte: from, $lt: to } }).sort({ _id: 1 }).lean();
    return {
      items: rows.map((r) => ({ id: r._id, kind, providerCode: r.providerCode, meeting: r.meeting, decision: r.decision, requestedOn: r.requestedOn, summary: r.summary, service: r.service ?? null })),
    };
  }
}

/**
 * How long an opening waits for another opening of the same meeting to write its case. The key is
 * the meeting's, not the caller's (records/cqrg-meeting/opening.ts): every opener sends the same
 * request, so one that finds the key held is not a client's retry to be told "in progress" but the
 * same opening, arrived at once (a plan put as the chair opens it, two puts, the reconciler), and
 * waits for that case, which is written within moments (longer under load: the 409s this cured).
 */
const OPENING_WAIT_MS = 8_000;

async function whenOpened<T>(open: () => Promise<T>): Promise<T> {
  const until = Date.now() + OPENING_WAIT_MS;
  for (let pause = 100; ; pause = Math.min(pause * 2, 1_000)) {
    try {
      return await open();
    } catch (err) {
      // Still under way after the wait: the 409 stands (the plan's put leaves it to the reconciler).
      if (!(err instanceof HttpError && err.code === 'in_progress') || Date.now() + pause > until) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
