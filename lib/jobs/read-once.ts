const reads = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * A registry read made once per run of a job: the steps after the first share it. Only for
 * what the job's lock keeps as it is meanwhile (no other job of its site runs) and what its own
 * steps do not change; a fresh context (the job taken up again after a crash) reads again, and
 * so does the next call after a failed read.
 */
export function readOnce<T>(ctx: object, key: string, read: () => Promise<T>): Promise<T> {
  const mine = reads.get(ctx) ?? new Map<string, Promise<unknown>>();
  reads.set(ctx, mine);
  const known = mine.get(key) as Promise<T> | undefined;
  if (known) return known;
  const fresh = read();
  mine.set(key, fresh);
  // A failed read is not kept: the next call reads again (the caller sees the failure).
  void fresh.catch(() => mine.delete(key));
  return fresh;
}
