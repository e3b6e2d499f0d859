import type { JobHandler, JobLane } from './types';

/** The handlers a worker of this process runs, by kind (the built-in ones, and tests' own). */
const handlers = new Map<string, JobHandler>();

export function registerHandler(handler: JobHandler): void {
  handlers.set(handler.kind, handler);
}

export function handlerFor(kind: string): JobHandler | undefined {
  return handlers.get(kind);
}

export function registeredKinds(): string[] {
  return [...handlers.keys()].sort();
}

export function kindsInLane(lane: JobLane): string[] {
  return [...handlers.values()].filter((h) => (h.lane ?? 'site') === lane).map((h) => h.kind);
}
