import { STAFF_DESIGNATIONS } from '../../models/staff';
import { ROLES } from '../auth/roles';
import { freeText, staffId, z } from '../../lib/zod';

/** The staff directory's requests and answers (see models/staff.ts). */

export const staffParams = z.object({ id: staffId.openapi({ param: { name: 'id', in: 'path' } }) });

export const staffBody = z
  .object({
    name: freeText(200, 1),
    roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]).openapi({ description: 'What they do in Oversight (none for, say, an action owner at the provider)' }),
    email: z.email().max(320).optional().openapi({ description: 'Where their reminders and escalations go; kept when a later change leaves it out' }),
    designations: z
      .array(z.enum(STAFF_DESIGNATIONS))
      .max(STAFF_DESIGNATIONS.length)
      .optional()
      .openapi({ description: 'Reg 4 of the 2009 complaints regulations: `responsible_person` (or authorised to act for them) signs responses to complaints; kept when a later change leaves it out' }),
  })
  .strict()
  .openapi('StaffMemberInput');

export const listStaffQuery = z
  .object({
    role: z.enum(ROLES).optional().openapi({ description: 'Only those with this role (a picker of CQRG chairs: cqrg_chair)' }),
    designation: z.enum(STAFF_DESIGNATIONS).optional().openapi({ description: 'Only those so designated (a picker of who signed a response: responsible_person)' }),
  })
  .strict();

export const staffView = z
  .object({ id: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)), email: z.string().optional(), designations: z.array(z.enum(STAFF_DESIGNATIONS)).optional() })
  .openapi('StaffMember');

export const staffList = z.object({ items: z.array(staffView) }).openapi('StaffDirectory');

export type StaffBody = z.infer<typeof staffBody>;
export type ListStaffQuery = z.infer<typeof listStaffQuery>;
export type StaffView = z.infer<typeof staffView>;
