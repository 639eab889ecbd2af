import { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/** One transition of a case: its opening, a human event (an Update) or an alarm (a timer firing). */
export interface Transition {
  kind: string;
  events: number;
  bytes: number;
  /** Activities scheduled on the task queue, and local activities (markers). */
  activities: number;
  localActivities: number;
  workflowTasks: number;
  /** What the transition's activities were given and gave back (payload bytes), and the Update's answer. */
  activityInputBytes: number;
  updateResultBytes: number;
}

const size = (e: Event) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
const payloadBytes = (p: temporal.api.common.v1.IPayloads | null | undefined) => (p?.payloads ?? []).reduce((s, x) => s + (x.data?.length ?? 0), 0);

/**
 * A history cut into its transitions. A transition starts where its trigger does: the workflow's
 * start, an accepted Update (with the workflow task that delivered it) or a timer firing; every
 * event up to the next trigger is its cost (its activities, their tasks, the Update's answer, a
 * re-armed timer). A refused Update leaves only its workflow task, counted with the transition
 * before it. Continued runs start with 'continued'.
 */
export function transitionsOf(events: Event[]): Transition[] {
  const out: Transition[] = [];
  let current: Transition | undefined;
  const begin = (kind: string) => {
    current = { kind, events: 0, bytes: 0, activities: 0, localActivities: 0, workflowTasks: 0, activityInputBytes: 0, updateResultBytes: 0 };
    out.push(current);
  };
  const add = (e: Event) => {
    if (!current) begin('?');
    const t = current!;
    t.events += 1;
    t.bytes += size(e);
    if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) t.workflowTasks += 1;
    if (e.activityTaskScheduledEventAttributes) {
      t.activities += 1;
      t.activityInputBytes += payloadBytes(e.activityTaskScheduledEventAttributes.input);
    }
    if (e.activityTaskCompletedEventAttributes) t.activityInputBytes += payloadBytes(e.activityTaskCompletedEventAttributes.result);
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') t.localActivities += 1;
    if (e.workflowExecutionUpdateCompletedEventAttributes) t.updateResultBytes += payloadBytes(e.workflowExecutionUpdateCompletedEventAttributes.outcome?.success);
  };
  const pending: Event[] = []; // a workflow task's three events, until we know what it delivered
  for (const e of events) {
    const type = e.eventType;
    if (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      const continued = !!e.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      begin(continued ? 'continued' : 'open');
      add(e);
      continue;
    }
    if (type === T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || type === T.EVENT_TYPE_WORKFLOW_TASK_STARTED || type === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      pending.push(e);
      if (type !== T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) continue;
      // Held until the next event says whether this task delivered an Update.
      continue;
    }
    if (type === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      begin(`update ${e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '?'}`);
    } else if (type === T.EVENT_TYPE_TIMER_FIRED) {
      pending.splice(0).forEach(add);
      begin('alarm');
    }
    pending.splice(0).forEach(add);
    add(e);
  }
  pending.splice(0).forEach(add);
  return out;
}

/** The transitions of every history, grouped by `${process} ${kind}`. */
export function byKind(histories: { name: string; events: Event[] }[]): Map<string, Transition[]> {
  const groups = new Map<string, Transition[]>();
  for (const { name, events } of histories) {
    const process = /^(complaint|review|visit|action-plan)-/.exec(name)?.[1];
    if (!process) continue;
    for (const t of transitionsOf(events)) {
      const key = `${process} ${t.kind}`;
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
  }
  return groups;
}
