import { Connection, Schema } from 'mongoose';
import { isDuplicateKey } from './connection';

/**
 * A block of case numbers one process has claimed, e.g. `complaint:2026:7` = numbers 141–160.
 * Claimed by inserting it: an insert on a unique _id is atomic on MongoDB and on FerretDB
 * alike, where a `$inc` counter is not (two concurrent increments can both read the same value).
 */
const referenceBlockSchema = new Schema(
  {
    _id: String,
    series: { type: String, required: true },
    block: { type: Number, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
referenceBlockSchema.index({ series: 1, block: -1 });

export function referenceBlockModel(connection: Connection) {
  return connection.model('ReferenceBlock', referenceBlockSchema, 'reference_blocks');
}

type ReferenceBlockModel = ReturnType<typeof referenceBlockModel>;

/** Claims block `block` of `series`; a duplicate-key error means another process holds it. */
export async function claimReferenceBlock(model: ReferenceBlockModel, series: string, block: number): Promise<void> {
  await model.create({ _id: `${series}:${block}`, series, block, claimedAt: new Date() });
}

/** Numbers per block: the most a stopped process can leave unused. */
export const REFERENCE_BLOCK_SIZE = 20;
const CLAIM_ATTEMPTS = 20;

/**
 * Hands out case numbers per series (one per case type and year), 1, 2, 3 …, from blocks this
 * process claims in the database, so that opening a case usually costs no round trip for its
 * number. Numbers are unique across processes; they are not gap-free (a stopped process leaves
 * the rest of its block unused) and, with several API processes, not in order of creation.
 */
export class ReferenceAllocator {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly claims = new Map<string, Promise<void>>();

  constructor(
    private readonly model: ReferenceBlockModel,
    private readonly blockSize = REFERENCE_BLOCK_SIZE,
  ) {}

  async next(series: string): Promise<number> {
    for (;;) {
      const block = this.blocks.get(series);
      if (block && block.next <= block.end) return block.next++;
      await this.claim(series);
    }
  }

  /**
   * The caller found `taken` already in use (written outside this scheme, e.g. before it):
   * give up the rest of its block, so the next number comes from a fresh block.
   */
  discard(series: string, taken: number): void {
    const block = this.blocks.get(series);
    if (block && taken <= block.end && taken > block.end - this.blockSize) this.blocks.delete(series);
  }

  /** One claim at a time per series: callers that find the block used up wait for the same one. */
  private claim(series: string): Promise<void> {
    let pending = this.claims.get(series);
    if (!pending) {
      pending = this.claimBlock(series).finally(() => this.claims.delete(series));
      this.claims.set(series, pending);
    }
    return pending;
  }

  private async claimBlock(series: string): Promise<void> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const last = await this.model.findOne({ series }, { block: 1 }).sort({ block: -1 }).lean();
      const block = (last?.block ?? -1) + 1;
      try {
        await claimReferenceBlock(this.model, series, block);
      } catch (err) {
        if (isDuplicateKey(err)) continue; // another process claimed it first: look again
        throw err;
      }
      this.blocks.set(series, { next: block * this.blockSize + 1, end: (block + 1) * this.blockSize });
      return;
    }
    throw new Error(`could not claim a block of ${series} numbers after ${CLAIM_ATTEMPTS} attempts`);
  }
}
