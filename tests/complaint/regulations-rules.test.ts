import { complaintRules, ComplaintCase, CURRENT_VERSION, initialState, unmetDeadlines } from '../../workflows/complaint/case';
import type { ComplaintState, ComplaintWorkflowInput } from '../../contracts/complaint/definitions';
import { COMPLAINT_WORDS } from '../../contracts/complaint/vocabulary';
import { receiptChecks } from '../../records/complaint/start';
import { deadline, verdict } from '../helpers/rules';

/**
 * The 2009 regulations' rules a complaint gained (SI 2009/309): the written record of an oral
 * complaint (reg 13(2)), the acknowledgement's offer to discuss (reg 13), the signed response
 * (reg 14(2)), the representative's suitability (reg 5(3)-(5)) and the tracked transfer (reg 6(5),
 * 7(5)). State in, a verdict out: no server.
 */

const input: ComplaintWorkflowInput = {
  reference: 'CMP-2026-000001',
  providerCode: 'RJ2',
  receivedOn: '2026-03-02',
  consentToShare: true,
  acknowledgement: deadline('acknowledgement', '2026-03-05'),
};
const receipt = (over: Partial<NonNullable<ComplaintWorkflowInput['receipt']>>) => ({ method: 'written' as const, outOfTime: false, safeguarding: false, ...over });
const acknowledged = (over: Partial<ComplaintState> = {}): ComplaintState => ({
  ...initialState(input),
  status: 'acknowledged',
  acknowledgedOn: '2026-03-03',
  deadlines: { response: deadline('response', '2026-04-08'), six_month_letter: deadline('six_month_letter', '2026-09-02') },
  ...over,
});
const SIGNED = { signedBy: 'chief.executive', ombudsmanRightsGiven: true } as const;
const before = (flag: keyof typeof CURRENT_VERSION) => ({ ...CURRENT_VERSION, [flag]: false });

describe('reg 13: an oral complaint is written down and a copy offered; the acknowledgement offers to discuss', () => {
  const oral = initialState({ ...input, receipt: receipt({ method: 'oral', informalResolutionBy: '2026-03-03' }) });

  test('an oral complaint is not acknowledged until its written record is made; cases from before the rule are', () => {
    expect(verdict(() => new ComplaintCase(oral).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toMatch(/oral complaint is written down, and the complainant offered a copy, before it is acknowledged \(reg 13\(2\)\)/);
    expect(verdict(() => new ComplaintCase(oral, before('writtenRecord')).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
    const written = { ...oral, writtenRecord: { writtenOn: '2026-03-02', copyOfferedOn: '2026-03-02' } };
    expect(verdict(() => new ComplaintCase(written).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
    // A written complaint is its own record.
    expect(verdict(() => new ComplaintCase(initialState(input)).checkAcknowledge({ acknowledgedOn: '2026-03-03' }))).toBeUndefined();
  });

  test('the written record: an oral complaint only, once, before the response, the copy offered after it is written', () => {
    const kase = new ComplaintCase(oral);
    expect(verdict(() => kase.checkWrittenRecord({ writtenOn: '2026-03-02', copyOfferedOn: '2026-03-02', copySentOn: '2026-03-03' }))).toBeUndefined();
    expect(verdict(() => kase.checkWrittenRecord({ writtenOn: '2026-03-01', copyOfferedOn: '2026-03-02' }))).toMatch(/cannot be before receipt/);
    expect(verdict(() => kase.checkWrittenRecord({ writtenOn: '2026-03-03', copyOfferedOn: '2026-03-02' }))).toMatch(/the offer of a copy \(2026-03-02\) cannot be before the written record/);
    expect(verdict(() => kase.checkWrittenRecord({ writtenOn: '2026-03-02', copyOfferedOn: '2026-03-03', copySentOn: '2026-03-02' }))).toMatch(/the copy .* cannot be before the offer/);
    expect(verdict(() => new ComplaintCase(initialState(input)).checkWrittenRecord({ writtenOn: '2026-03-02', copyOfferedOn: '2026-03-02' }))).toMatch(/only an oral complaint/);
    const done = { ...oral, writtenRecord: { writtenOn: '2026-03-02', copyOfferedOn: '2026-03-02' } };
    expect(verdict(() => new ComplaintCase(done).checkWrittenRecord({ writtenOn: '2026-03-03', copyOfferedOn: '2026-03-03' }))).toMatch(/written down on 2026-03-02/);
    expect(verdict(() => new ComplaintCase({ ...oral, status: 'responded' }).checkWrittenRecord({ writtenOn: '2026-03-03', copyOfferedOn: '2026-03-03' }))).toMatch(/before the response/);
  });

  test('the offer to discuss the handling and the response period is made with the acknowledgement, not after it', () => {
    const kase = new ComplaintCase(initialState(input));
    expect(verdict(() => kase.checkAcknowledge({ acknowledgedOn: '2026-03-03', discussionOfferedOn: '2026-03-02' }))).toBeUndefined();
    expect(verdict(() => kase.checkAcknowledge({ acknowledgedOn: '2026-03-03', discussionOfferedOn: '2026-03-04' }))).toMatch(/made at the time of the acknowledgement \(2026-03-03\)/);
  });

  test('the page offers the written record, and the acknowledgement only once it is made', () => {
    expect(COMPLAINT_WORDS.offered(oral)).toContain('written-record');
    expect(COMPLAINT_WORDS.offered(oral)).not.toContain('acknowledge');
  });
});

describe('reg 14(2): the response is signed by the responsible person and names the right to go to the Ombudsman', () => {
  test('without either it is refused, saying which; cases from before the rule still take it', () => {
    const kase = new ComplaintCase(acknowledged());
    expect(verdict(() => kase.checkRespond({ respondedOn: '2026-03-20', ...SIGNED }))).toBeUndefined();
    expect(verdict(() => kase.checkRespond({ respondedOn: '2026-03-20', ombudsmanRightsGiven: true } as never))).toMatch(/signed by the responsible person \(reg 14\(2\)\)/);
    expect(verdict(() => kase.checkRespond({ respondedOn: '2026-03-20', signedBy: 'chief.executive' } as never))).toMatch(/right to go to the Parliamentary and Health Service Ombudsman/);
    expect(verdict(() => new ComplaintCase(acknowledged(), before('signedResponse')).checkRespond({ respondedOn: '2026-03-20' } as never))).toBeUndefined();
  });
});

describe('reg 5(3)-(5): a representative for a child or someone lacking capacity', () => {
  test('the receipt names only the basis, and only for a child or someone lacking capacity', () => {
    const checks = (representative: { basis: string }) => receiptChecks({ receivedOn: '2026-03-02', madeBy: 'representative', representative }).representative;
    expect(checks({ basis: 'child' })).toBe('child');
    expect(checks({ basis: 'lacks_capacity' })).toBe('lacks_capacity');
    expect(checks({ basis: 'deceased' })).toBeUndefined();
    expect(receiptChecks({ receivedOn: '2026-03-02', madeBy: 'patient', representative: { basis: 'child' } }).representative).toBeUndefined();
    expect(initialState({ ...input, receipt: receipt({ representative: 'child' }) }).representative).toEqual({ acting: 'child' });
  });

  test('not considered until decided: no provider account and no response before the decision', () => {
    const pending = acknowledged({ representative: { acting: 'child' } });
    const kase = new ComplaintCase(pending);
    expect(verdict(() => kase.checkRequestProviderAccount({ requestedOn: '2026-03-04' }))).toMatch(/reasonable grounds for a representative to complain instead of the child \(reg 5\)/);
    expect(verdict(() => new ComplaintCase(acknowledged({ representative: { acting: 'lacks_capacity' } })).checkRespond({ respondedOn: '2026-03-20', ...SIGNED }))).toMatch(/best interests/);
    expect(verdict(() => new ComplaintCase(pending, before('representativeDecision')).checkRespond({ respondedOn: '2026-03-20', ...SIGNED }))).toBeUndefined();
    const decided = acknowledged({ representative: { acting: 'child', suitable: true, decidedOn: '2026-03-04', reasons: 'parent' } });
    expect(verdict(() => new ComplaintCase(decided).checkRespond({ respondedOn: '2026-03-20', ...SIGNED }))).toBeUndefined();
  });

  test('decided once, while the case is open, not before receipt; not suitable ends the case', () => {
    const kase = new ComplaintCase(acknowledged({ representative: { acting: 'child' } }));
    expect(verdict(() => kase.checkRepresentative({ decidedOn: '2026-03-04', suitable: false, reasons: 'no grounds', notifiedOn: '2026-03-04' }))).toBeUndefined();
    expect(verdict(() => kase.checkRepresentative({ decidedOn: '2026-03-01', suitable: true, reasons: 'parent' }))).toMatch(/cannot be before receipt/);
    const decided = acknowledged({ representative: { acting: 'child', suitable: true, decidedOn: '2026-03-04', reasons: 'parent' } });
    expect(verdict(() => new ComplaintCase(decided).checkRepresentative({ decidedOn: '2026-03-05', suitable: false, reasons: 'x', notifiedOn: '2026-03-05' }))).toMatch(/found suitable on 2026-03-04/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkRepresentative({ decidedOn: '2026-03-05', suitable: true, reasons: 'x' }))).toMatch(/no representative acts for a child/);
    expect(complaintRules.finished({ ...decided, status: 'representative_not_suitable' })).toBe(true);
  });
});

describe('reg 6(5), 7(5): a complaint passed on is tracked until it is sent', () => {
  const toBeSent = (over: Partial<ComplaintState> = {}) =>
    acknowledged({ handledBy: 'another_body', transfer: { decidedOn: '2026-03-04', to: 'NHS Kent and Medway ICB', kind: 'another_body' }, deadlines: { transfer: deadline('transfer', '2026-03-09') }, ...over });

  test('another body only with consent, and only for cases started under the rule', () => {
    const kase = new ComplaintCase(acknowledged());
    expect(verdict(() => kase.checkHandling({ decidedOn: '2026-03-04', handledBy: 'another_body', receivingBody: 'NHS Kent and Medway ICB' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(acknowledged({ consentToShare: false })).checkHandling({ decidedOn: '2026-03-04', handledBy: 'another_body', receivingBody: 'X' }))).toMatch(/not consented to the complaint going to another body/);
    expect(verdict(() => new ComplaintCase(acknowledged(), before('trackedTransfer')).checkHandling({ decidedOn: '2026-03-04', handledBy: 'another_body', receivingBody: 'X' }))).toMatch(/started before transfers/);
  });

  test('until it is sent, sending it is the deadline (not the acknowledgement), and the case is not answered here', () => {
    expect(unmetDeadlines(toBeSent())).toEqual(['transfer']);
    expect(unmetDeadlines(toBeSent({ status: 'received', acknowledgedOn: undefined }))).toEqual(['transfer']);
    expect(verdict(() => new ComplaintCase(toBeSent()).checkRespond({ respondedOn: '2026-03-20', ...SIGNED }))).toMatch(/to be sent to NHS Kent and Medway ICB, who will respond/);
    expect(verdict(() => new ComplaintCase(toBeSent()).checkRequestProviderAccount({ requestedOn: '2026-03-05' }))).toMatch(/who will handle it/);
    expect(verdict(() => new ComplaintCase(toBeSent()).checkHandling({ decidedOn: '2026-03-05', handledBy: 'commissioner' }))).toMatch(/already decided/);
  });

  test('sent: not before the decision, and only with consent still given', () => {
    expect(verdict(() => new ComplaintCase(toBeSent()).checkTransfer({ transferredOn: '2026-03-05' }))).toBeUndefined();
    expect(verdict(() => new ComplaintCase(toBeSent()).checkTransfer({ transferredOn: '2026-03-03' }))).toMatch(/cannot be before the decision/);
    expect(verdict(() => new ComplaintCase(toBeSent({ consentToShare: false, consentWithdrawnOn: '2026-03-05' })).checkTransfer({ transferredOn: '2026-03-05' }))).toMatch(/reg 7\(3\)/);
    expect(verdict(() => new ComplaintCase(acknowledged()).checkTransfer({ transferredOn: '2026-03-05' }))).toMatch(/no transfer/);
    const sent = toBeSent({ status: 'transferred', transfer: { decidedOn: '2026-03-04', to: 'X', kind: 'another_body', transferredOn: '2026-03-05' } });
    expect(verdict(() => new ComplaintCase(sent).checkTransfer({ transferredOn: '2026-03-06' }))).toMatch(/no transfer/);
    expect(unmetDeadlines(sent)).toEqual([]);
  });
});
