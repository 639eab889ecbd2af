import { Connection, InferSchemaType, Schema } from 'mongoose';

/**
 * The staff directory: everyone who has signed in (as their token last named them, recorded by
 * the API's authentication at most once in a few minutes) and everyone an administrator adds
 * (an action's owner at the provider, say, who may never sign in). Keyed by the token's subject,
 * exactly (docs/security.md): what a plan's chair, an action's owner, a review's owner and a
 * visit's panel member are known by. Pickers choose from it; the mailer finds addresses in it.
 */
/**
 * What the complaints regulations have a body designate someone for, kept apart from the sign-in
 * roles (a sign-in rewrites those from the token; an administrator's designation stays): the
 * responsible person, reg 4(1)(a) of the 2009 regulations, who signs the response to a complaint
 * (reg 14(2)), and those authorised to act for them (reg 4(2)), designated the same way.
 */
export const STAFF_DESIGNATIONS = ['responsible_person'] as const;
export type StaffDesignation = (typeof STAFF_DESIGNATIONS)[number];

const staffSchema = new Schema(
  {
    _id: { type: String, required: true }, // the sign-in subject, e.g. 0f8fad5b-… or sam.officer@icb.nhs.uk
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    /** From the token's `email` claim, or as an administrator gave it. */
    email: String,
    /** What an administrator designated them for (STAFF_DESIGNATIONS); sign-in leaves it alone. */
    designations: { type: [String], default: undefined },
    /** When their sign-in was last recorded (absent for someone only an administrator added). */
    signedInAt: Date,
  },
  { timestamps: true, versionKey: false },
);

export type StaffRecord = InferSchemaType<typeof staffSchema> & { _id: string };

export function staffModel(connection: Connection) {
  return connection.model('Staff', staffSchema, 'staff');
}

type StaffModel = ReturnType<typeof staffModel>;

/**
 * Record a sign-in: name and roles as the token has them now; the email only when the token has
 * one, so an address an administrator gave is not wiped by a token without.
 */
export async function recordSignIn(model: StaffModel, who: { id: string; name: string; roles: string[]; email?: string }, at: Date): Promise<void> {
  await model.updateOne({ _id: who.id }, { $set: { name: who.name, roles: who.roles, signedInAt: at, ...(who.email && { email: who.email }) } }, { upsert: true });
}

/**
 * The people named, by id (a plan's chair, an action's owner): one read by `_id`, as the mailer
 * and the pages need them.
 */
export async function staffByIds(model: StaffModel, ids: string[]): Promise<Map<string, StaffRecord>> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (!wanted.length) return new Map();
  const rows = await model.find({ _id: { $in: wanted } }).lean<StaffRecord[]>();
  return new Map(rows.map((r) => [r._id, r]));
}
