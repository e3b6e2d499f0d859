import type { AuditSource } from '@prisma/client';
import * as z from 'zod';
import { allOf } from './enums';

export const ACTOR_SOURCES = allOf<AuditSource>()(['ui', 'api', 'cli', 'public', 'system']);

/**
 * Who does something, and from where: carried into every change so the audit trail can say it,
 * and in the parameters of the jobs that act for someone (the one schema they all use).
 */
export const actorSchema = z.object({
  userId: z.string().optional(),
  email: z.string().optional(),
  source: z.enum(ACTOR_SOURCES),
  /** Client IP for web requests, "cli" for the command line, "system" for the worker. */
  ip: z.string(),
});

export type Actor = z.infer<typeof actorSchema>;
export type ActorSource = Actor['source'];

export const systemActor: Actor = { source: 'system', ip: 'system', email: 'mutu' };
