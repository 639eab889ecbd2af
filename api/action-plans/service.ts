import { Client } from '@temporalio/client';
import type { Request } from 'express';
import { actionIndexKeys, planIndexKeys, planListRange } from '../../records/action-plan/lists';
import { actionPlanWorkflowInput } from '../../records/action-plan/start';
import { actionView } from '../../records/action-plan/view';
import { londonDate } from '../../lib/calendar';
import { Models } from '../../models';
import type { ActionPlanRecord, ActionRecord } from '../../models/action-plan';
import { findByIds, referenceOf } from '../../models/case-index';
import { ACTION_PLAN, actionId, type ActionPlanState, type ActionPlanWorkflowInput, stateQuery } from '../../contracts/action-plan/definitions';
import { upgradeDeadlines, type Actor, type TimelineEntry } from '../../contracts/kernel/case';
import { badRequest, HttpError } from '../errors';
import { Cases } from '../kernel/cases';
import type { CaseEvent } from '../kernel/events';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import { ragDates } from './chair';
import { awaitingPlans, linkSource, sourceExists } from './links';
import { noteIds, writeNotes } from './events';
import type { ImportedFrom } from '../../contracts/kernel/imported';
import type { StaffNote } from '../../contracts/kernel/events';
import type { CreateActionPlanBody, ListActionPlansQuery } from './schemas';
import { keyedPage } from '../kernel/paging';

/** A plan being imported: where its rows were, the day it was opened, its actions completed there (by index). */
export interface ImportingPlan {
  start: { from: ImportedFrom; actFrom: string };
  openedOn: string;
  completed: { index: number; completedOn: string; evidence: string }[];
}

export interface ActionPlanServiceDeps {
  models: Models;
  temporal: Client;
  taskQueue: string;
  referenceData: ReferenceData;
  calls: TemporalCalls;
}

/** What a client sees of a plan in a list. */
export function toView(r: ActionPlanRecord) {
  return {
    reference: r._id,
    providerCode: r.providerCode,
    theme: r.theme,
    title: r.title,
    source: { kind: r.source.kind, ...(r.source.reference ? { reference: r.source.reference } : {}), ...(r.source.meetingOn ? { meetingOn: r.source.meetingOn } : {}) },
    chair: { id: r.chair.id, name: r.chair.name },
    status: r.status,
    openedOn: r.openedOn,
    nextDueOn: r.nextDueOn ?? null,
    counts: { actions: r.counts?.actions ?? 0, open: r.counts?.open ?? 0, complete: r.counts?.complete ?? 0 },
    signedOffOn: r.signedOffOn ?? null,
  };
}

export class ActionPlanService {
  readonly cases: Cases<ActionPlanRecord, ActionPlanState>;

  constructor(private readonly deps: ActionPlanServiceDeps) {
    this.cases = new Cases({ ...deps, process: ACTION_PLAN, model: deps.models.ActionPlan, stateQuery, workflowInput: (record) => actionPlanWorkflowInput(record), projectedState: (record) => (record.workflow as ActionPlanState | undefined) ?? undefined });
  }

  private today() {
    return ragDates(this.deps.referenceData);
  }

  /**
   * Open a plan and start its workflow (see Cases.open). The actions' descriptions are notes
   * written first; a plan from a complaint is linked both ways (the complaint's record names it).
   */
  /**
   * Open a plan and start its workflow. An imported one (npm run import) keeps the day it was
   * opened in the source system and opens with the actions completed there complete, each with
   * its evidence as a note (workflows/action-plan/imported.ts).
   */
  async create(body: CreateActionPlanBody, actor: Actor, idempotencyKey?: string, imported?: ImportingPlan) {
    const { models } = this.deps;
    // A chair opens plans they chair; the quality team and commissioners name the chair.
    if (actor.role === 'cqrg_chair' && body.chair.id !== actor.id) {
      throw new HttpError(403, 'forbidden', 'as a CQRG chair you may open only plans you chair: name yourself as body.chair');
    }
    const active = await this.deps.referenceData.isActiveProvider(body.providerCode);
    await sourceExists(models, body.source);
    const openedOn = imported?.openedOn ?? londonDate(Date.now());
    const id = noteIds({ create: body, by: actor.id }, idempotencyKey);
    const notes: StaffNote[] = body.actions.map((a, i) => ({ _id: id(i), kind: 'action' as const, text: a.description, ownerName: a.owner.name }));
    // The evidence of each action completed before the import, after the actions' own notes.
    const completed = (imported?.completed ?? []).map((c, k) => ({ n: c.index + 1, completedOn: c.completedOn, evidence: id(body.actions.length + k) }));
    (imported?.completed ?? []).forEach((c, k) => notes.push({ _id: completed[k].evidence, kind: 'evidence', text: c.evidence }));
    const isDone = new Set(completed.map((c) => c.n));
    if (active) await writeNotes(models, notes);
    let opened;
    try {
      opened = await this.cases.open({
        // The row's state is part of the request: the same source id with another state is another request.
        body: imported ? { ...body, importedAt: { openedOn, completed: imported.completed } } : body,
        by: actor.id,
        idempotencyKey,
        refusal: active ? undefined : badRequest('body.providerCode', `no active provider with ODS code ${body.providerCode}`),
        build: (reference, workflowId) => {
          const actions = body.actions.map((a, i) => ({ ownerId: a.owner.id, dueOn: a.dueOn, note: id(i) }));
          const open = actions.filter((_, i) => !isDone.has(i + 1));
          const nextDueOn = open.length ? open.reduce((m, a) => (a.dueOn < m ? a.dueOn : m), open[0].dueOn) : null;
          const status = open.length ? 'in_progress' : 'awaiting_sign_off';
          return {
            _id: reference,
            providerCode: body.providerCode,
            theme: body.theme,
            title: body.title,
            source: body.source,
            chair: body.chair,
            openedOn,
            status,
            nextDueOn,
            counts: { actions: actions.length, open: open.length, complete: actions.length - open.length },
            indexKeys: [
              ...planIndexKeys({ reference, providerCode: body.providerCode, status, nextDueOn }),
              ...actions.flatMap((a, i) => (isDone.has(i + 1) ? [] : actionIndexKeys({ id: actionId(reference, i + 1), providerCode: body.providerCode, theme: body.theme, dueOn: a.dueOn }))),
            ],
            workflowId,
            // Ids, dates and note ids only; kept so a repeat starts the same workflow.
            workflowInput: {
              reference,
              providerCode: body.providerCode,
              theme: body.theme,
              source: body.source,
              chairId: body.chair.id,
              openedOn,
              actions,
              ...(body.escalateEveryWorkingDays && { escalateEveryWorkingDays: body.escalateEveryWorkingDays }),
              ...(imported && { imported: { ...imported.start, at: { completed } } }),
              openedBy: actor,
            } satisfies ActionPlanWorkflowInput,
          };
        },
      });
    } catch (err) {
      // Nothing names them now, unless a concurrent request with the same key (and notes) is under way.
      if (!(err instanceof HttpError && err.code === 'in_progress')) await models.ActionPlanNote.deleteMany({ _id: { $in: notes.map((n) => n._id) } }).catch(() => undefined);
      throw err;
    }
    const { replayed, record } = opened;
    // A repeat completes the links a first attempt may have died before writing (each write is idempotent).
    await linkSource(models, body.source, record._id);
    return { replayed, view: toView(record) };
  }

  async list(query: ListActionPlansQuery) {
    const range = planListRange({ provider: query.provider, status: query.status });
    const { keys, total, ...page } = await keyedPage(this.deps.models.CaseIndex, [range], query);
    const records = await findByIds<ActionPlanRecord>(this.deps.models.ActionPlan, keys.map(referenceOf), LIST_FIELDS);
    return { items: records.map(toView), ...page, total: total ?? 0 };
  }

  awaitingPlans() {
    return awaitingPlans(this.deps.models);
  }

  async get(reference: string) {
    const record = await this.cases.record(reference);
    return this.detail(record, this.cases.live(record));
  }

  async event(event: CaseEvent<ActionPlanState>, reference: string, req: Request) {
    const { record, live } = await event.send(this.cases, reference, req);
    return this.detail(record, Promise.resolve(live));
  }

  private async detail(record: ActionPlanRecord, liveState: Promise<ActionPlanState | null>) {
    const { today, amber } = await this.today();
    const workflow = record.workflow as ActionPlanState | undefined;
    // The record counts its actions (the projection, written before an Update answers): the view
    // never waits for the live state to know which to read.
    const count = Math.max(record.counts?.actions ?? 0, workflow?.actions.length ?? 0);
    const [live, timeline, actions] = await Promise.all([
      liveState,
      this.cases.timeline(record._id),
      findByIds<ActionRecord>(this.deps.models.Action, Array.from({ length: count }, (_, i) => actionId(record._id, i + 1))),
    ]);
    return {
      ...toView(record),
      actions: (await this.withUnprojected(record, actions, count)).map((a) => actionView(a, today, amber)),
      deadlines: upgradeDeadlines(live?.deadlines ?? workflow?.deadlines),
      ...this.cases.stateOf(record, live),
      timeline: await this.withNotes(timeline),
    };
  }

  /**
   * A plan opened a moment ago has no action rows until its first projection: its actions as the
   * API opened them (the workflow's input, their notes' words) stand in, open, so the page the form
   * goes to never shows a plan without its actions.
   */
  private async withUnprojected(record: ActionPlanRecord, rows: ActionRecord[], count: number): Promise<ActionRecord[]> {
    const opened = (record.workflowInput as { actions?: { ownerId: string; dueOn: string; note: string }[] } | undefined)?.actions ?? [];
    if (rows.length >= count || rows.length >= opened.length) return rows;
    const have = new Set(rows.map((r) => r.n));
    const missing = opened.map((a, i) => ({ ...a, n: i + 1 })).filter((a) => !have.has(a.n));
    const notes = new Map((await this.deps.models.ActionPlanNote.find({ _id: { $in: missing.map((a) => a.note) } }, { text: 1, ownerName: 1 }).lean()).map((n) => [n._id, n]));
    const standIns = missing.map(
      (a) =>
        ({
          _id: actionId(record._id, a.n),
          reference: record._id,
          n: a.n,
          providerCode: record.providerCode,
          theme: record.theme,
          description: notes.get(a.note)?.text ?? '',
          owner: { id: a.ownerId, name: notes.get(a.note)?.ownerName ?? a.ownerId },
          addedOn: record.openedOn,
          dueOn: a.dueOn,
          status: 'open',
          updates: 0,
          redated: 0,
          evidence: [],
          documents: [],
        }) as unknown as ActionRecord,
    );
    return [...rows, ...standIns].sort((x, y) => x.n - y.n);
  }

  /**
   * The timeline with the texts its entries name by id (an action's description, a progress
   * update, evidence): the workflow kept the ids, MongoDB the words. Every update an action ever
   * had is here, in order, with who recorded it.
   */
  private async withNotes(timeline: TimelineEntry[]): Promise<TimelineEntry[]> {
    const idsOf = (data: Record<string, unknown>) => [
      ...(typeof data.note === 'string' ? [data.note] : []),
      ...(Array.isArray(data.evidence) ? data.evidence.filter((e): e is string => typeof e === 'string') : []),
    ];
    const ids = [...new Set(timeline.flatMap((e) => idsOf(e.data)))];
    if (!ids.length) return timeline;
    const notes = new Map(
      (await this.deps.models.ActionPlanNote.find({ _id: { $in: ids } }, { text: 1, link: 1 }).lean()).map((n) => [n._id, { text: n.text, ...(n.link ? { link: n.link } : {}) }]),
    );
    return timeline.map((e) => {
      const texts = idsOf(e.data).flatMap((id) => notes.get(id) ?? []);
      return texts.length ? { ...e, data: { ...e.data, notes: texts } } : e;
    });
  }
}

/** What a list reads of each plan: not its workflow state, which may hold hundreds of actions. */
const LIST_FIELDS = Object.fromEntries(
  ['providerCode', 'theme', 'title', 'source', 'chair', 'status', 'openedOn', 'nextDueOn', 'counts', 'signedOffOn'].map((f) => [f, 1 as const]),
);
