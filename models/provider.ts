import { Connection, InferSchemaType, Schema } from 'mongoose';

/** A care provider the commissioner holds to account, keyed by its ODS code. */
const providerSchema = new Schema(
  {
    _id: { type: String, required: true }, // ODS code, e.g. RJ2
    name: { type: String, required: true },
    kind: { type: String, required: true },
    active: { type: Boolean, default: true },
    /** Where the provider's reminders go (its complaints or quality team), and its CQRG chair. */
    contactEmail: String,
    cqrgChairEmail: String,
  },
  { timestamps: true, versionKey: false },
);

export type ProviderRecord = InferSchemaType<typeof providerSchema> & { _id: string };

export function providerModel(connection: Connection) {
  return connection.model('Provider', providerSchema, 'providers');
}
