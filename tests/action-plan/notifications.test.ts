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

test("the chair's address is the provider's, else the configured one; a reminder written before owners were told goes to the provider's quality team", () => {
  const config = { MAIL_CQRG_CHAIR: 'cqrg.chair@icb.example' } as MailConfig;
  const pack = row({ caseType: 'cqrg-pack', reference: 'RJ2:2026-12-08', kind: 'pack', deadline: 'cqrg_meeting', audience: 'cqrg_chair' });
  expect(recipientsOf(pack, { record: { providerCode: 'RJ2' }, provider: { cqrgChairEmail: 'chair@rj2.example.nhs.uk' } }, config).to).toEqual(['chair@rj2.example.nhs.uk']);
  expect(recipientsOf(pack, { record: null, provider: null }, config).to).toEqual(['cqrg.chair@icb.example']);
  const reminder = row({ kind: 'reminder', deadline: 'action:3', audience: 'provider' });
  expect(recipientsOf(reminder, { record: { providerCode: 'RJ2' }, provider: { contactEmail: 'quality@rj2.example.nhs.uk' } }, config).to).toEqual(['quality@rj2.example.nhs.uk']);
});

test("an action's reminders go to its owner (the directory's address), the provider's mailbox copied; escalations and the pack to the plan's chair, from the directory first", () => {
  const config = { MAIL_CQRG_CHAIR: 'cqrg.chair@icb.example' } as MailConfig;
  const provider = { contactEmail: 'quality@rj2.example.nhs.uk', cqrgChairEmail: 'chair@rj2.example.nhs.uk' };
  const record = { providerCode: 'RJ2', chair: { id: 'Chris.Chair@icb.nhs.uk', name: 'Chris Chair' } };
  const people = { owner: { _id: 'jo.bloggs@provider.nhs.uk', email: 'Jo.Bloggs@provider.nhs.uk' }, chair: { _id: 'Chris.Chair@icb.nhs.uk', email: 'chris.chair@icb.nhs.uk' } };
  const reminder = row({ kind: 'reminder', deadline: 'action:3', audience: 'action_owner' });
  expect(recipientsOf(reminder, { record, provider, people }, config)).toEqual({ to: ['jo.bloggs@provider.nhs.uk'], cc: ['quality@rj2.example.nhs.uk'], missing: [] });
  // An owner with no address in the directory: the provider's mailbox still gets it, and the gap is reported.
  expect(recipientsOf(reminder, { record, provider, people: { chair: people.chair } }, config)).toEqual({
    to: ['quality@rj2.example.nhs.uk'],
    cc: [],
    missing: ["action_owner (set the action owner's email in the staff directory: PUT /api/staff/:id)"],
  });
  const escalation = row({ kind: 'escalation', deadline: 'action:3', audience: 'cqrg_chair' });
  expect(recipientsOf(escalation, { record, provider, people }, config)).toMatchObject({ to: ['chris.chair@icb.nhs.uk'], cc: [] });
  expect(recipientsOf(escalation, { record, provider, people: {} }, config).to).toEqual(['chair@rj2.example.nhs.uk']);
  expect(recipientsOf(escalation, { record, provider: {}, people: {} }, config).to).toEqual(['cqrg.chair@icb.example']);
  const pack = row({ caseType: 'cqrg-pack', reference: 'RJ2:2026-12-08', kind: 'pack', deadline: 'cqrg_meeting', audience: 'cqrg_chair' });
  expect(recipientsOf(pack, { record: { providerCode: 'RJ2', chairId: 'Chris.Chair@icb.nhs.uk' }, provider, people }, config).to).toEqual(['chris.chair@icb.nhs.uk']);
  expect(render(reminder)).toMatch(/^Reminder: action 3 of the provider's action plan is due on Tuesday 1 December 2026/);
});
