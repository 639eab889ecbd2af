import { addCalendarDays, addWorkingDays } from '../../lib/calendar';

/**
 * The four processes as the create bench opens them: the API's path and a body for case i, and
 * the workflow type a bare start uses. A bare start's input is the one the API itself kept on a
 * record it opened in the warm-up (`workflowInput`), under a reference of the bench's own: the
 * same workflow, the same input, without the API.
 */
export interface BenchProcess {
  name: 'complaint' | 'visit' | 'review' | 'action-plan';
  path: string;
  workflowType: string;
  /** The record's collection, to read the warm-up's workflow input from. */
  collection: string;
  body(i: number, run: string, today: string): Record<string, unknown>;
}

export const BENCH_PROCESSES: BenchProcess[] = [
  {
    name: 'complaint',
    path: '/api/complaints',
    workflowType: 'complaintWorkflow',
    collection: 'complaints',
    body: (i, _run, today) => ({
      providerCode: 'RJ2',
      receivedAt: today,
      source: 'complainant',
      category: 'communication',
      summary: `Benchmark case ${i}: letters about the appointment never arrived.`,
      consentToShare: true,
    }),
  },
  {
    name: 'visit',
    path: '/api/visits',
    workflowType: 'visitWorkflow',
    collection: 'visits',
    body: (i, _run, today) => ({
      providerCode: 'RJ2',
      service: `Ward ${i % 12}`,
      reasons: ['complaints'],
      concerns: 'Call bells unanswered at night',
      announced: true,
      visitDate: addCalendarDays(today, 28),
      panel: [
        { name: 'Pat Lay', role: 'lay_member', email: 'pat.lay@example.org' },
        { name: 'Jo Representative', role: 'patient_representative' },
      ],
    }),
  },
  {
    name: 'review',
    path: '/api/reviews',
    workflowType: 'reviewWorkflow',
    collection: 'reviews',
    body: (i, run, today) => ({
      serviceName: `Community clinic ${i}`,
      whatChanged: 'Clinics moved to three GP hubs',
      goLiveOn: today,
      owner: { id: `bench-${run}`, name: 'Jo Bloggs', email: 'jo.bloggs@nhs.example', lineManager: { name: 'Sam Lead', email: 'sam.lead@nhs.example' } },
      assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } },
      patientEngagement: 'Three listening events and a survey',
    }),
  },
  {
    name: 'action-plan',
    path: '/api/action-plans',
    workflowType: 'actionPlanWorkflow',
    collection: 'action_plans',
    body: (i, _run, today) => ({
      providerCode: 'RJ2',
      theme: 'accessible_information_standard',
      title: `Accessible Information Standard ${i}`,
      source: { kind: 'cqrg_meeting', meetingOn: today },
      chair: { id: 'bench-chair', name: 'Chris Chair' },
      actions: [{ description: 'Easy read appointment letters', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: addWorkingDays(today, 20).due }],
    }),
  },
];
