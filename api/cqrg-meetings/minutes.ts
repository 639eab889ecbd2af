import type { MeetingView } from '../../records/cqrg-meeting/cycle';
import { dateInWords } from '../../contracts/kernel/vocabulary';
import { THEME_WORDS } from '../../contracts/cqrg-meeting/vocabulary';

const KIND_WORDS: Record<string, string> = {
  open_action: 'New action',
  accept_evidence: 'Evidence accepted: action closed',
  redate_action: 'Action re-dated',
  request_visit: 'Insight visit requested',
  escalate_to_committee: "Escalated to the commissioner's quality committee",
};

/** The minutes of a recorded meeting, as plain text: kept as a document of the meeting. */
export function minutesText(m: MeetingView, providerName: string): string {
  const lines = [
    `Clinical Quality Review Group: ${providerName} (${m.providerCode})`,
    `Meeting of ${dateInWords(m.meetingOn)}${m.heldOn && m.heldOn !== m.meetingOn ? `, held ${dateInWords(m.heldOn)}` : ''} (${m.reference})`,
    '',
    'Attendance',
    ...m.attendance.map((a) => `- ${a.role.replace(/_/g, ' ')}: ${a.count}`),
    '',
    'Provider reports',
    ...m.reports.map((r) => `- ${THEME_WORDS[r.theme]}: ${r.status}${r.receivedOn ? ` (received ${r.receivedOn}${r.receivedLate ? ', late' : ''})` : ''}`),
    '',
    'Agenda',
    ...m.items.flatMap((item, i) => [`${i + 1}. ${item.title}`, `   ${item.discussion}`]),
    '',
    'Decisions',
    ...m.decisions.map((d) => {
      const target = [d.plan, d.action ? `action ${d.action}` : undefined, d.dueOn ? `due ${d.dueOn}` : undefined, d.service].filter(Boolean).join(', ');
      const outcome = d.outcome ? ` [${d.outcome.status}${d.outcome.reference ? `: ${d.outcome.reference}` : ''}${d.outcome.reason ? `: ${d.outcome.reason}` : ''}]` : '';
      return `${d.n}. ${KIND_WORDS[d.kind]}${target ? ` (${target})` : ''}: ${d.summary}${outcome}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
