import { recipientsOf } from '../../mailer/recipients';
import { renderEmail } from '../../mailer/render';
import type { MailConfig } from '../../lib/config';
import type { NotificationRow } from '../../models/notification';

/** An action plan's outbox rows, and a CQRG pack's, as the mailer words and addresses them: no server. */

const row = (over: Partial<Record<string, unknown>>): NotificationRow =>
  ({ caseType: 'action-plan', reference: 'CAP-2026-000001', dueOn: '2026-12-01', subject: 'FALLBACK', communicationNeeds: [], status: 'pending', createdAt: new Date(), attempts: 0, ...over }) as unknown as NotificationRow;
const render = (r: NotificationRow) => renderEmail(r, { baseUrl: 'http://localhost:3000', detail: 'minimal' }).text;

test("an action's reminder and escalation are worded and link to the plan; sign-off and the pack are worded too", () => {
  const overdue = render(row({ kind: 'escalation', deadline: 'action:3', audience: 'cqrg_chair' }));
  expect(overdue).toMatch(/^Overdue: action 3 of the provider's action plan was due on Tuesday 1 December 2026/);
  expect(overdue).toContain('http://localhost:3000/action-plans/CAP-2026-000001');
  expect(render(row({ kind: 'reminder', deadline: 'action:3', audience: 'provider' }))).toMatch(/^Reminder: action 3 of the provider's action plan is due on Tuesday 1 December 2026/);
  expect(render(row({ kind: 'awaiting_sign_off', deadline: 'awaiting_sign_off', audience: 'cqrg_chair' }))).toContain("the CQRG chair's sign-off of the action plan");
  const pack = render(row({ caseType: 'cqrg-pack', reference: 'RJ2:2026-12-08', kind: 'pack', deadline: 'cqrg_meeting', audience: 'cqrg_chair', dueOn: '2026-12-08' }));
  expect(pack).toContain("the pack of the provider's outstanding actions is ready");
  expect(pack).toContain('http://localhost:3000/providers/RJ2');
});

test("the chair's address is the provider's, else the configured one; the provider's quality team gets the reminders", () => {
  const config = { MAIL_CQRG_CHAIR: 'cqrg.chair@icb.example' } as MailConfig;
  const pack = row({ caseType: 'cqrg-pack', reference: 'RJ2:2026-12-08', kind: 'pack', deadline: 'cqrg_meeting', audience: 'cqrg_chair' });
  expect(recipientsOf(pack, { record: { providerCode: 'RJ2' }, provider: { cqrgChairEmail: 'chair@rj2.example.nhs.uk' } }, config).to).toEqual(['chair@rj2.example.nhs.uk']);
  expect(recipientsOf(pack, { record: null, provider: null }, config).to).toEqual(['cqrg.chair@icb.example']);
  const reminder = row({ kind: 'reminder', deadline: 'action:3', audience: 'provider' });
  expect(recipientsOf(reminder, { record: { providerCode: 'RJ2' }, provider: { contactEmail: 'quality@rj2.example.nhs.uk' } }, config).to).toEqual(['quality@rj2.example.nhs.uk']);
});
