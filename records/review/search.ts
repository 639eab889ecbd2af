import type { Models } from '../../models';
import { findByIds } from '../../models/case-index';
import type { ReviewRecord } from '../../models/review';
import { REVIEW } from '../../contracts/review/definitions';
import type { SearchSource } from '../search/index';

/** What a six-month review offers search: the service's name and what changed (staff-written). */
export const reviewSearch: SearchSource = {
  process: REVIEW.name,
  model: (models: Models) => models.Review,
  async read(models, references) {
    const records = await findByIds<ReviewRecord>(models.Review, references, { _id: 1, status: 1, serviceName: 1, whatChanged: 1, goLiveOn: 1 });
    return records.map((r) => ({
      process: REVIEW.name,
      reference: r._id,
      status: r.status,
    open: (REVIEW.open as readonly string[]).includes(r.status),
      on: r.goLiveOn,
      title: `Six-month review of ${r.serviceName}`,
      text: [r.serviceName, r.whatChanged].filter((t): t is string => !!t),
    }));
  },
};
