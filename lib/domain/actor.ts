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
