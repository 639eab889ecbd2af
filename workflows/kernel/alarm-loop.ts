import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import type { Alarm } from '../../contracts/kernel/case';
import type { CaseKernel, CaseState } from './case-kernel';

/**
 * Sleep until the case's earliest pending alarm and act on it, or until a change (an Update, or
 * an alarm acting) moves the case, then look again; `after` runs after each turn (continue-as-new).
 * Returns once the case is finished.
 *
 * Runs started before KERNEL_ONE_WRITE_PATCH start a timer each turn (`condition` with a timeout),
 * so every change cancelled the timer and started it again, two events in the history of each
 * Update though its alarms had not moved. Since, the timer stands while the earliest alarm is the
 * same one at the same instant: only a change that moves it re-arms it; and an alarm already due
 * is acted on at once, without a timer of a millisecond and the workflow task it took.
 */
export async function untilFinished<S extends CaseState>(kase: CaseKernel<S>, steadyTimer: boolean, after: () => Promise<void>): Promise<void> {
  const version = () => kase.snapshot.meta.version;
  let armed: Armed | undefined;
  while (!kase.finished) {
    const [next] = kase.pendingAlarms();
    const seen = version();
    if (!steadyTimer) {
      const changed = () => version() !== seen; // every change, finishing included, bumps it
      if (!next) await condition(changed);
      else if (!(await condition(changed, Math.max(1, Date.parse(next.at) - Date.now())))) await kase.mutex.runExclusive(() => kase.fire(next));
    } else if (next && Date.parse(next.at) <= Date.now()) {
      // Already due (a case opened late, a worker back after an outage): acted on at once, no timer.
      if (armed) armed = disarm(armed);
      await kase.mutex.runExclusive(() => kase.fire(next));
    } else {
      if (armed && (armed.alarm.key !== next?.key || armed.alarm.at !== next?.at)) armed = disarm(armed);
      if (next && !armed) armed = arm(next);
      const timer = armed;
      await condition(() => version() !== seen || !!timer?.due);
      if (timer?.due) {
        armed = undefined;
        // Acted on only if it is still the earliest as it was armed; else the next turn re-arms.
        const [now] = kase.pendingAlarms();
        if (now?.key === timer.alarm.key && now.at === timer.alarm.at) await kase.mutex.runExclusive(() => kase.fire(now));
      }
    }
    await after();
  }
  if (armed) disarm(armed);
}

interface Armed {
  alarm: Alarm;
  scope: CancellationScope;
  due: boolean;
}

function arm(alarm: Alarm): Armed {
  const scope = new CancellationScope();
  const armed: Armed = { alarm, scope, due: false };
  void scope.run(() => sleep(Math.max(1, Date.parse(alarm.at) - Date.now()))).then(
    () => (armed.due = true),
    () => undefined, // cancelled: the alarm moved
  );
  return armed;
}

function disarm(armed: Armed): undefined {
  armed.scope.cancel();
  return undefined;
}
