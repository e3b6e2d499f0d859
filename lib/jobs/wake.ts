import { registryDialect } from '../db/dialect';
import { touchWakeFile, watchWakeFile } from './wake-file';
import { listenQueued, notifyQueued } from './wake-postgres';

// How workers of other processes hear "a job was queued" at once (those of the same process
// are told by jobEvents): through the registry's LISTEN/NOTIFY on PostgreSQL, which reaches
// every machine; through a watched file of the data folder with a SQLite registry, which
// lives on one machine anyway. Workers poll too, as the fallback for a wake that is missed.

export function announceToOtherProcesses(): void {
  if (registryDialect() === 'postgresql') notifyQueued();
  else touchWakeFile();
}

/** Calls `onWake` when another process queues a job; returns the function that stops listening. */
export function listenToOtherProcesses(onWake: () => void, say?: (line: string) => void): () => void {
  return registryDialect() === 'postgresql' ? listenQueued(onWake, say) : watchWakeFile(onWake);
}
