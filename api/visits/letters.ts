import type { VisitState } from '../../contracts/visit/definitions';
import { VISIT_WORDS } from '../../contracts/visit/vocabulary';
import type { Models } from '../../models';
import type { VisitRecord } from '../../models/visit';
import { projectedCase, type LetterSource } from '../letters/service';
import { referenceParams } from './schemas';

/**
 * A visit's letter to its provider (the vocabulary's `letters`): the provider's name, the service,
 * the visit's date and why, and the day the information asked for is due (the workflow's own
 * `information` deadline, as last projected).
 */
export function visitLetters(models: Models): LetterSource<VisitState> {
  return {
    caseType: VISIT_WORDS.caseType,
    base: '/api/visits',
    tag: 'visits',
    referenceParams,
    letters: VISIT_WORDS.letters ?? {},
    async load(reference) {
      const { record, state } = await projectedCase<VisitRecord, VisitState>((ref) => models.Visit.findById(ref).lean<VisitRecord>(), reference);
      const provider = await models.Provider.findById(record.providerCode, { name: 1, contactEmail: 1 }).lean<{ name: string; contactEmail?: string }>();
      const name = provider?.name ?? record.providerCode;
      return {
        state,
        needs: [],
        context: {
          recipient: { name: 'Chief Executive', address: [name], email: provider?.contactEmail },
          provider: { code: record.providerCode, name },
          service: record.service,
          reasons: record.reasons ?? [],
          visitDate: state.visitDate,
          informationDueOn: state.deadlines.information?.dueOn,
        },
      };
    },
  };
}
