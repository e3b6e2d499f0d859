import type { JobHandler, JobLane } from './types';

const handlers = new Map<string, JobHandler<any>>();

export function registerHandler<P>(handler: JobHandler<P>): void {
  handlers.set(handler.kind, handler as JobHandler<any>);
}

export function handlerFor(kind: string): JobHandler<any> | undefined {
  return handlers.get(kind);
}

export function registeredKinds(): string[] {
  return [...handlers.keys()].sort();
}

export function kindsInLane(lane: JobLane): string[] {
  return [...handlers.values()].filter((h) => (h.lane ?? 'site') === lane).map((h) => h.kind);
}
