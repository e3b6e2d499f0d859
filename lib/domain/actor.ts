import { z } from 'zod';

/** Who does something, and from where: carried into every change so the audit trail can say it. */
export type ActorSource = 'ui' | 'api' | 'cli' | 'public' | 'system';

export interface Actor {
  userId?: string;
  email?: string;
  source: ActorSource;
  /** Client IP for web requests, "cli" for the command line, "system" for the worker. */
  ip: string;
}

export const systemActor: Actor = { source: 'system', ip: 'system', email: 'mutu' };

/** An actor as jobs carry it in their parameters. */
export const actorSchema = z.object({
  userId: z.string().optional(),
  email: z.string().optional(),
  source: z.enum(['ui', 'api', 'cli', 'public', 'system']),
  ip: z.string(),
});
