import type { Models } from '../../models';

/** Reg 14(2): the responsible person tests sign responses as, designated so in the staff directory. */
export const RESPONSIBLE_PERSON = 'chief.executive';

/** A response's signature and its notice of the right to go to the Ombudsman, as the API takes them. */
export const SIGNED = { signedBy: RESPONSIBLE_PERSON, ombudsmanRightsGiven: true } as const;

/** The staff directory's responsible person (reg 4), whom SIGNED names: once per test database. */
export async function designateResponsiblePerson(models: Models): Promise<void> {
  await models.Staff.updateOne({ _id: RESPONSIBLE_PERSON }, { $set: { name: 'Chief Executive', roles: [], designations: ['responsible_person'] } }, { upsert: true });
}
