import { recipientsOf } from '../../mailer/recipients';
import { renderEmail } from '../../mailer/render';
import type { MailConfig } from '../../lib/config';
import type { NotificationRow } from '../../models/notification';

/** A visit's outbox rows as the mailer words and addresses them: no server. */

const row = (deadline: string, kind: string, audience: string, dueOn: string, subject = 'VIS-2026-000001: subject'): NotificationRow =>
  ({ _id: `VIS-2026-000001:${deadline}:${dueOn}:${kind}`, caseType: 'visit', reference: 'VIS-2026-000001', kind, deadline, audience, dueOn, subject, communicationNeeds: [], status: 'pending', createdAt: new Date(), attempts: 0 }) as unknown as NotificationRow;
const render = (r: NotificationRow) => renderEmail(r, { baseUrl: 'http://localhost:3000', detail: 'minimal' }).text;

test('the provider’s notice names the visit’s date; the window’s end says to finalise; every visit deadline is worded', () => {
  const notice = render(row('provider_notice:2026-12-21', 'notify_provider', 'provider', '2026-12-07'));
  expect(notice).toMatch(/^Notice of the announced insight visit on Monday 21 December 2026/);
  expect(notice).toContain('http://localhost:3000/visits/VIS-2026-000001');
  expect(render(row('factual_accuracy', 'window_end', 'case_owner', '2026-12-18'))).toMatch(/ended on Friday 18 December 2026 without comments/);
  expect(render(row('draft_report', 'escalation', 'quality_lead', '2026-12-18'))).toMatch(/^Overdue: the draft insight visit report was due on Friday 18 December 2026/);
  for (const deadline of ['visit', 'information', 'factual_accuracy', 'comments_review', 'final_report']) {
    expect(render(row(deadline, 'reminder', 'panel', '2026-12-18', 'FALLBACK'))).not.toContain('FALLBACK');
  }
});

test('the panel’s reminders go to the panel members who gave an address; with none, the row says where to set one', () => {
  const record = { providerCode: 'RJ2', panel: [{ id: 'member-1', name: 'Pat Lay', role: 'lay_member', email: 'Pat.Lay@example.org' }, { id: 'member-2', name: 'Jo Rep', role: 'patient_representative' }] };
  const config = {} as MailConfig;
  expect(recipientsOf(row('visit', 'reminder', 'panel', '2026-12-21'), { record, provider: null }, config)).toEqual({ to: ['pat.lay@example.org'], cc: [], missing: [] });
  expect(recipientsOf(row('visit', 'reminder', 'panel', '2026-12-21'), { record: { panel: [] }, provider: null }, config).missing).toEqual(["visit_panel (set the panel members' emails)"]);
  expect(recipientsOf(row('provider_notice:2026-12-21', 'notify_provider', 'provider', '2026-12-07'), { record, provider: { contactEmail: 'quality@rj2.example.nhs.uk' } }, config).to).toEqual(['quality@rj2.example.nhs.uk']);
});
