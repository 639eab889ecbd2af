import type { Models } from '../../models';
import { findByIds } from '../../models/case-index';
import type { ComplaintRecord } from '../../models/complaint';
import { COMPLAINT } from '../../contracts/complaint/definitions';
import type { SearchDoc, SearchSource } from '../search/index';
import { providerNames } from '../search/providers';
import { complaintIdentity } from './related';
import { nhsDigits } from '../search/tokens';

const FIELDS = { _id: 1, status: 1, providerCode: 1, receivedOn: 1, source: 1, summary: 1, complainant: 1, patient: 1, communicationNotes: 1, 'workflow.lessonsLearned': 1 } as const;

/**
 * What a complaint offers search: its provider (code and name) for everyone; the complainant's and
 * patient's names, the patient's NHS number, what was written and the notes on the complainant
 * only for those who may see personal details; and who it is about, for intake's "possibly related".
 */
export function complaintSearchDoc(r: ComplaintRecord, providerName?: string): SearchDoc {
  const lessons = (r.workflow as { lessonsLearned?: string } | undefined)?.lessonsLearned;
  const nhs = nhsDigits(r.patient?.nhsNumber);
  return {
    process: COMPLAINT.name,
    reference: r._id,
    status: r.status,
    open: (COMPLAINT.open as readonly string[]).includes(r.status),
    providerCode: r.providerCode,
    on: r.receivedOn,
    title: `Complaint about ${providerName ?? r.providerCode} (${r.providerCode}), from ${r.source}`,
    text: [r.providerCode, providerName, lessons].filter((t): t is string => !!t),
    names: [r.complainant?.name, r.patient?.name].filter((n): n is string => !!n),
    nhs: nhs ? [nhs] : [],
    personalText: [r.summary, r.communicationNotes].filter((t): t is string => !!t),
    identity: complaintIdentity({ complainant: r.complainant, patient: r.patient }),
  };
}

export const complaintSearch: SearchSource = {
  process: COMPLAINT.name,
  model: (models: Models) => models.Complaint,
  async read(models, references) {
    const records = await findByIds<ComplaintRecord>(models.Complaint, references, FIELDS);
    const names = await providerNames(models, records.map((r) => r.providerCode));
    return records.map((r) => complaintSearchDoc(r, names.get(r.providerCode)));
  },
};
