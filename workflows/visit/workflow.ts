import { patched } from '@temporalio/workflow';
import { VISIT_EVENTS } from '../../contracts/visit/events';
import { caseIO } from '../kernel/io';
import { IMPORTED, importedEntryData } from '../../contracts/kernel/imported';
import { patchedSince, runCase } from '../kernel/run-case';
import { initialState, visitRules } from './case';
import { snapshotQuery, stateQuery, VISIT, VisitState, VisitWorkflowInput } from '../../contracts/visit/definitions';
import { planVisitDates, setDates, visitHandlers } from './handlers';

/**
 * Since this patch a visit is recorded as taking place only on its date: held on another day it
 * is re-dated first, later or earlier (to the day it is re-dated, at the earliest), and an
 * announced visit brought forward inside its notice period says why. Cases started before it keep
 * recording a visit on any day from its plan (their histories may hold one).
 */
export const HELD_ON_ITS_DATE_PATCH = 'visit-held-on-its-date';

/**
 * Since this patch a visit brought over from another system (npm run import) opens planned as its
 * row says: its dates planned from the day it was planned there, nothing acting before the working
 * morning after the import, an announced visit's notice done if the provider was told already.
 * Asked only on that path.
 */
export const IMPORTED_OPEN_PATCH = 'visit-opened-imported';

/** One provider insight visit, from its plan to the final report (or its cancellation). */
export async function visitWorkflow(input: VisitWorkflowInput): Promise<VisitState> {
  return runCase<VisitState, VisitWorkflowInput>({
    reference: input.reference,
    input,
    initial: () => initialState(input),
    rules: visitRules,
    io: caseIO<VisitState>(VISIT.name),
    queries: { state: stateQuery, snapshot: snapshotQuery },
    open: async (kase) => {
      if (input.imported && patched(IMPORTED_OPEN_PATCH)) {
        const { from, actFrom, at } = input.imported;
        const dates = await planVisitDates(kase, input.plannedOn, input.visitDate, actFrom);
        const data = importedEntryData(from, { status: 'planned', visitDate: input.visitDate, announced: input.announced, providerNotifiedOn: at.providerNotifiedOn ?? null, providerNoticeOn: dates.notice?.dueOn ?? null, informationDueOn: dates.information?.dueOn ?? null });
        return kase.change(IMPORTED, data, (s) => {
          setDates(s, dates);
          if (at.providerNotifiedOn) {
            s.providerNotifiedOn = at.providerNotifiedOn;
            s.providerNotifiedFor = input.visitDate;
          }
        });
      }
      const dates = await planVisitDates(kase, input.plannedOn, input.visitDate);
      const data = { visitDate: input.visitDate, announced: input.announced, providerNoticeOn: dates.notice?.dueOn ?? null, informationDueOn: dates.information?.dueOn ?? null };
      return kase.change('planned', data, (s) => setDates(s, dates));
    },
    // Asked once, as the run starts: a rule is the same for every event of a run.
    handlers: (kase) => visitHandlers(kase, { heldOnItsDate: patchedSince(HELD_ON_ITS_DATE_PATCH) }),
    events: VISIT_EVENTS,
  });
}
