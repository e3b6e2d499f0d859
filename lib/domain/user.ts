import type { Role } from '@prisma/client';
import * as z from 'zod';
import { MIN_PASSWORD_LENGTH } from '../auth/password';
import { allOf } from './enums';

export const ROLES = allOf<Role>()(['admin', 'webmaster']);
export const roleSchema = z.enum(ROLES);
export const emailSchema = z.email('an e-mail address such as someone@example.org').trim().toLowerCase().max(320);
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'at most 1024 characters');

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional(),
  role: roleSchema.default('webmaster'),
  /** left out: a strong one is generated and shown once */
  password: z.union([passwordSchema, z.literal('').transform(() => undefined)]).optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;
