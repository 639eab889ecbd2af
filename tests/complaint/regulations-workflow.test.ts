import { WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { COMPLAINT_UPDATES } from '../../contracts/complaint/events';
import { addWorkingDays, londonDate, subtractWorkingDays, workingHoursInstant } from '../../lib/calendar';
import { acknowledgementDeadline, receiptChecks } from '../../records/complaint/start';
import {
  DEFAULTS,
  stateQuery,
  type ComplaintWorkflowInput,
} from '../../contracts/complaint/definitions';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually, type Harness } from '../helpers/harness';
import { timeSkippingFile } from '../helpers/workflow-file';
import { applied } from '../helpers/events';

/**
 * The 2009 regulations' steps a complaint's workflow gained, on the time-skipping server: the
 * written record of an oral complaint (reg 13(2)), the signed response (reg 14(2)), the
 * representative found not suitable (reg 5(3)-(5)) and the transfer tracked to its deadline
 * (reg 6(5), 7(5)), and a complaint sent to the provider followed until its outcome (reg 7(5)). Their histories are saved for tests/replay by `npm run replay:record`.
 */

let h: Harness;
let counter = 0;
const file = timeSkippingFile('complaint_regs_wf', 'complaint');
const { started, sleepPast } = file;
const finished = (handle: WorkflowHandle<typeof complaintWorkflow>) => file.finished(handle, stateQuery);
beforeAll(() => {
  h = file.harness();
});

const actor = { id: 'officer-1', name: 'Test Officer', role: 'quality_team' };
const signed = { signedBy: 'chief.executive', ombudsmanRightsGiven: true } as const;
type Receipt = Omit<Parameters<typeof receiptChecks>[0], 'receivedOn'>;

/** Open a case the way the API does: the record first, then its workflow. */
async function openCase(receipt: Receipt = {}, opts: { consentToShare?: boolean } = {}) {
  const today = londonDate(await h.env.currentTimeMs());
  const reference = `CMP-2026-${String(900_000 + ++counter)}`;
  const acknowledgement = acknowledgementDeadline(today);
  const workflowId = caseWorkflowId('complaint', reference);
  const consentToShare = opts.consentToShare ?? true;
  const input: ComplaintWorkflowInput = { reference, providerCode: 'RJ2', receivedOn: today, consentToShare, acknowledgement, receipt: receiptChecks({ ...receipt, receivedOn: today }) };
  await h.models.Complaint.create({
    _id: reference,
    providerCode: 'RJ2',
    source: 'complainant',
    receivedOn: today,
    summary: 'Test complaint',
    consentToShare,
    status: 'received',
    acknowledgeBy: acknowledgement.dueOn,
    workflowId,
    workflowInput: input,
  });
  const handle = await h.env.client.workflow.start(complaintWorkflow, { workflowId, taskQueue: h.taskQueue, args: [input] });
  started.push(handle);
  return { reference, handle, today };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the update to be refused');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause?.message;
    },
  );
const timeline = async (reference: string) => (await h.models.Timeline.find({ reference }).sort({ seq: 1 }).lean()).map((e) => ({ type: e.type, data: e.data }));

test('reg 13: an oral complaint is acknowledged only once written down with a copy offered; the acknowledgement records its offer to discuss', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase({ method: 'oral' });
    expect(await refusal(applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today }))).toMatch(/reg 13\(2\)/);
    let state = await applied(handle, COMPLAINT_UPDATES['written-record'], { actor, writtenOn: today, copyOfferedOn: today, copySentOn: today });
    expect(state.writtenRecord).toEqual({ writtenOn: today, copyOfferedOn: today, copySentOn: today });
    state = await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    expect(state).toMatchObject({ status: 'acknowledged', discussionOfferedOn: today, responsePeriod: 'set' });
    const entries = await eventually(async () => {
      const t = await timeline(reference);
      expect(t.map((e) => e.type)).toEqual(['received', 'written_record_made', 'acknowledged']);
      return t;
    });
    expect(entries[1].data).toMatchObject({ writtenOn: today, copyOfferedOn: today, copySentOn: today });
    expect(entries[2].data).toMatchObject({ discussionOfferedOn: today });
  });
});

test('reg 14(2): a response without its signatory or the Ombudsman notice is refused; signed, it records who signed', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    expect(await refusal(applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ombudsmanRightsGiven: true } as never))).toMatch(/signed by the responsible person/);
    expect(await refusal(applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, signedBy: 'chief.executive' } as never))).toMatch(/Ombudsman/);
    const state = await applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ...signed });
    expect(state).toMatchObject({ status: 'responded', responseSignedBy: 'chief.executive', ombudsmanRightsGiven: true });
    await eventually(async () => expect((await timeline(reference)).at(-1)).toMatchObject({ type: 'responded', data: { signedBy: 'chief.executive', ombudsmanRightsGiven: true } }));
  });
});

test('reg 5(3)-(5): a representative for a child found not suitable ends the case with the decision, its reasons and the notice', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase({ madeBy: 'representative', representative: { basis: 'child' } });
    expect((await handle.query(stateQuery)).representative).toEqual({ acting: 'child' });
    await applied(handle, COMPLAINT_UPDATES.acknowledge, { actor, acknowledgedOn: today });
    expect(await refusal(applied(handle, COMPLAINT_UPDATES.respond, { actor, respondedOn: today, ...signed }))).toMatch(/reasonable grounds .* \(reg 5\)/);
    const reasons = 'The child, 16, asked that the complaint not be pursued';
    const state = await applied(handle, COMPLAINT_UPDATES.representative, { actor, decidedOn: today, suitable: false, reasons, notifiedOn: today });
    expect(state).toMatchObject({ status: 'representative_not_suitable', representative: { acting: 'child', suitable: false, decidedOn: today, reasons, notifiedOn: today } });
    expect((await finished(handle)).status).toBe('representative_not_suitable');
    const record = await eventually(async () => {
      const r = await h.models.Complaint.findById(reference).lean();
      expect(r?.status).toBe('representative_not_suitable');
      return r;
    });
    expect(record?.nextDueOn).toBeNull();
  });
});

test('reg 6(5), 7(5): passed to another body, sending it is due in working days: reminded, escalated when late, then the case ends transferred', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    let state = await applied(handle, COMPLAINT_UPDATES.handling, { actor, decidedOn: today, handledBy: 'another_body', receivingBody: 'NHS Kent and Medway ICB' });
    const due = state.deadlines.transfer!;
    expect(state).toMatchObject({ status: 'received', handledBy: 'another_body', transfer: { decidedOn: today, to: 'NHS Kent and Medway ICB', kind: 'another_body' } });
    expect(due.dueOn).toBe(addWorkingDays(today, DEFAULTS.transferWorkingDays).due);
    expect(due.reminders).toEqual([workingHoursInstant(subtractWorkingDays(due.dueOn, DEFAULTS.transferReminderWorkingDays))]);
    // The receiving body acknowledges it: this body's acknowledgement is no longer chased.
    const record = await eventually(async () => {
      const r = await h.models.Complaint.findById(reference).lean();
      expect(r?.nextDeadlineKind).toBe('transfer');
      return r;
    });
    expect(record?.nextDueOn).toBe(due.dueOn);

    await sleepPast(due.escalateAt);
    await eventually(async () => expect(await file.sent(reference)).toEqual(['transfer:reminder:case_owner', 'transfer:escalation:quality_lead']));
    const sentOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES.transfer, { actor, transferredOn: sentOn });
    expect(state).toMatchObject({ status: 'transferred', transferredOn: sentOn, transfer: { transferredOn: sentOn } });
    expect((await finished(handle)).status).toBe('transferred');
    expect(await file.sent(reference)).not.toContain('acknowledgement:escalation:quality_lead');
  });
});

test('reg 7(5): sent to the provider, the case awaits its outcome over the weeks: reminded, escalated when missed and again, then ends transferred on the outcome', async () => {
  await h.withWorker(async () => {
    const { reference, handle, today } = await openCase();
    await applied(handle, COMPLAINT_UPDATES.handling, { actor, decidedOn: today, handledBy: 'provider' });
    // The outcome cannot come before the complaint went to the provider.
    expect(await refusal(applied(handle, COMPLAINT_UPDATES['provider-outcome'], { actor, receivedOn: today, outcome: 'upheld' }))).toMatch(/awaits its outcome/);
    let state = await applied(handle, COMPLAINT_UPDATES.transfer, { actor, transferredOn: today });
    const due = state.deadlines.provider_outcome!;
    expect(state).toMatchObject({ status: 'with_provider', transferredOn: today, transfer: { kind: 'provider', to: 'RJ2', transferredOn: today } });
    expect(due.dueOn).toBe(addWorkingDays(today, DEFAULTS.providerOutcomeWorkingDays).due);
    expect(due.reminders).toEqual([workingHoursInstant(subtractWorkingDays(due.dueOn, DEFAULTS.providerOutcomeReminderWorkingDays))]);
    await eventually(async () => expect((await h.models.Complaint.findById(reference).lean())?.nextDeadlineKind).toBe('provider_outcome'));

    // Six weeks on: reminded before the date, escalated the morning after it, and again ten working days later.
    await sleepPast(due.escalateAt);
    const again = workingHoursInstant(addWorkingDays(londonDate(Date.parse(due.escalateAt)), DEFAULTS.providerOutcomeRepeatWorkingDays).due);
    await sleepPast(again);
    await eventually(async () =>
      expect(await file.sent(reference)).toEqual(['provider_outcome:reminder:case_owner', 'provider_outcome:escalation:quality_lead', 'provider_outcome:escalation:quality_lead']),
    );
    expect((await handle.query(stateQuery)).status).toBe('with_provider');

    const receivedOn = londonDate(await h.env.currentTimeMs());
    state = await applied(handle, COMPLAINT_UPDATES['provider-outcome'], { actor, receivedOn, outcome: 'partly_upheld' });
    expect(state).toMatchObject({ status: 'transferred', transferredOn: today, transfer: { outcome: { receivedOn, outcome: 'partly_upheld' } } });
    expect((await finished(handle)).status).toBe('transferred');
    expect((await timeline(reference)).map((e) => e.type)).toEqual(expect.arrayContaining(['transferred', 'provider_outcome_recorded']));
  });
});
