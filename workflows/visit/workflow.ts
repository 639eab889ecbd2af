import { patched } from '@temporalio/workflow';
import { VISIT_EVENTS } from '../../contracts/visit/events';
import { caseIO } from '../kernel/io';
import { IMPORTED, importedEntryData } from '../../contracts/kernel/imported';
import { patchedSince, runCase, type CaseKernel } from '../kernel/run-case';
import { initialState, visitRules } from './case';
import { snapshotQuery, stateQuery, VISIT, VisitState, VisitWorkflowInput } from '../../contracts/visit/definitions';
import { planDraftReport, planFactualAccuracy, planVisitDates, setDates, visitHandlers } from './handlers';

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

/**
 * Since this patch an imported visit may have been held already (on its date): it opens
 * `visited`, its draft report due from the visit, or `draft_issued`, the provider's
 * factual-accuracy window and the final report running from the day the draft went. Asked only on
 * that path, which no earlier history took (such a row was refused).
 */
export const IMPORTED_HELD_PATCH = 'visit-imported-held';

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
        if (at.visitedOn && patched(IMPORTED_HELD_PATCH)) return openHeld(kase, input, at.visitedOn, at.draftSentOn);
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


/** An imported visit held already: its draft report due, or its draft sent and the provider's window running. */
async function openHeld(kase: CaseKernel<VisitState>, input: VisitWorkflowInput, visitedOn: string, draftSentOn: string | undefined) {
  const { from, actFrom } = input.imported!;
  if (draftSentOn) {
    const { window, final } = await planFactualAccuracy(kase, draftSentOn, actFrom);
    const data = importedEntryData(from, { status: 'draft_issued', visitDate: input.visitDate, announced: input.announced, visitedOn, draftSentOn, factualAccuracyEndsOn: window.dueOn, finalReportDueOn: final.dueOn });
    return kase.change(IMPORTED, data, (s) => {
      s.status = 'draft_issued';
      s.visitedOn = visitedOn;
      s.draftSentOn = draftSentOn;
      s.deadlines.factual_accuracy = window;
      s.deadlines.final_report = final;
    });
  }
  const draft = await planDraftReport(kase, visitedOn, actFrom);
  const data = importedEntryData(from, { status: 'visited', visitDate: input.visitDate, announced: input.announced, visitedOn, draftReportDueOn: draft.dueOn });
  return kase.change(IMPORTED, data, (s) => {
    s.status = 'visited';
    s.visitedOn = visitedOn;
    s.deadlines.draft_report = draft;
  });
}
