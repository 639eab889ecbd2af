import { Models } from '../../models';
import { HttpError } from '../errors';
import type { ReferenceData } from '../reference-data';
import { ClosureDayBody, ListClosureDaysQuery } from './schemas';

interface ClosureDayRecord {
  _id: unknown;
  reason: string;
  createdAt?: Date;
  updatedAt?: Date;
}

function toView(day: ClosureDayRecord) {
  return {
    date: String(day._id),
    reason: day.reason,
    createdAt: day.createdAt?.toISOString() ?? '',
    updatedAt: day.updatedAt?.toISOString() ?? '',
  };
}

/**
 * Local closure days: days the commissioner's office is shut on a weekday that is not a bank
 * holiday, which deadlines then skip like one. A change applies to deadlines planned after it:
 * at once in this process and in the workflows' activities (they read the collection each time),
 * within the reference-data TTL in other API processes. Deadlines already planned stay as they
 * were promised.
 */
export class ClosureDayService {
  constructor(
    private readonly models: Models,
    private readonly referenceData: ReferenceData,
  ) {}

  async list(query: ListClosureDaysQuery) {
    const range: Record<string, string> = {};
    if (query.from) range.$gte = query.from;
    if (query.to) range.$lte = query.to;
    const days = await this.models.ClosureDay.find(query.from || query.to ? { _id: range } : {})
      .sort({ _id: 1 })
      .lean<ClosureDayRecord[]>();
    return { items: days.map(toView) };
  }

  /** Adds the day, or changes its reason; `created` says which. */
  async put(date: string, body: ClosureDayBody): Promise<{ created: boolean; view: ReturnType<typeof toView> }> {
    const { ClosureDay } = this.models;
    const result = await ClosureDay.updateOne({ _id: date }, { $set: { reason: body.reason } }, { upsert: true });
    this.referenceData.clear();
    const day = await ClosureDay.findById(date).lean<ClosureDayRecord>();
    if (!day) throw new HttpError(409, 'conflict', `closure day ${date} was removed while it was being saved`);
    return { created: result.upsertedCount > 0, view: toView(day) };
  }

  async remove(date: string): Promise<void> {
    const { deletedCount } = await this.models.ClosureDay.deleteOne({ _id: date });
    this.referenceData.clear();
    if (deletedCount === 0) throw new HttpError(404, 'not_found', `no closure day on ${date}`);
  }
}
