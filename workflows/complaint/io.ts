import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ComplaintActivities } from '../../activities/complaint/activities';
import { ACTIVITY_OPTIONS, oneWriteIO } from '../kernel/io';
import { patchedSince, type CaseIO } from '../kernel/run-case';
import { COMPLAINT, type ComplaintState } from '../../contracts/complaint/definitions';

const local = proxyLocalActivities<ComplaintActivities>(ACTIVITY_OPTIONS);
const queued = proxyActivities<ComplaintActivities>(ACTIVITY_OPTIONS);

/**
 * Since this patch deadline planning runs as a local activity, inside the workflow task: a case
 * costs the server one workflow task per change instead of several. Cases started before it
 * replay on the old path (tests/replay/histories/queued-activities).
 */
export const LOCAL_ACTIVITIES_PATCH = 'complaint-local-activities';
/**
 * Since this patch the writes (timeline, projection, outbox) are queued activities, scheduled by
 * the committed workflow task: a local activity runs before its task commits, so a task that
 * then failed left writes the workflow never took. Before it they ran beside the planning, the
 * timeline and the projection as two calls (tests/replay/histories/local-activities).
 */
export const COMMITTED_WRITES_PATCH = 'complaint-writes-after-commit';

/**
 * The complaint's activities as the kernel calls them, by the version a case started under.
 * The complaint came before the kernel: its activities keep their unprefixed names, and cases
 * opened before each patch replay its older path (see tests/replay/histories/).
 */
export function complaintIO(): CaseIO<ComplaintState> {
  // Activity proxies have no own properties to spread: each activity is picked by name.
  // Its one write since KERNEL_ONE_WRITE_PATCH is named as every process's (`complaint.commit`).
  const oneWrite = oneWriteIO<ComplaintState>(COMPLAINT.name);
  if (patchedSince(COMMITTED_WRITES_PATCH)) {
    return { planDeadline: local.planDeadline, planRepeat: local.planRepeat, recordChange: queued.recordChange, notify: queued.notify, ...oneWrite };
  }
  const acts = patched(LOCAL_ACTIVITIES_PATCH) ? local : queued;
  return {
    planDeadline: acts.planDeadline,
    planRepeat: acts.planRepeat,
    notify: acts.notify,
    async recordChange({ reference, entry, snapshot }) {
      await acts.recordTimeline({ reference, entry });
      await acts.projectComplaint({ snapshot });
    },
    ...oneWrite,
  };
}
