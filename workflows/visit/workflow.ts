import { caseIO } from '../kernel/io';
import { runCase } from '../kernel/run-case';
import { initialState, visitRules } from './case';
import { snapshotQuery, stateQuery, VISIT, VisitState, VisitWorkflowInput } from './definitions';
import { planVisitDates, setDates, visitHandlers } from './handlers';

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
      const dates = await planVisitDates(kase, input.plannedOn, input.visitDate);
      const data = { visitDate: input.visitDate, announced: input.announced, providerNoticeOn: dates.notice?.dueOn ?? null, informationDueOn: dates.information?.dueOn ?? null };
      return kase.change('planned', data, (s) => setDates(s, dates));
    },
    handlers: visitHandlers,
  });
}
