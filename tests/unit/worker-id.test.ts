import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { newWorkerId, ranInThisProcess, workerProcess } from '@/lib/jobs/worker-id';

describe('worker ids', () => {
  it('name the machine and process that made them', () => {
    const id = newWorkerId();
    expect(workerProcess(id)).toEqual({ host: os.hostname(), pid: process.pid });
    expect(ranInThisProcess(id)).toBe(true);
  });

  it("tell another process's or machine's workers, and ids of another shape, apart", () => {
    expect(ranInThisProcess(`${os.hostname()}:${process.pid + 1}:abcdef`)).toBe(false);
    expect(ranInThisProcess(`elsewhere.example:${process.pid}:abcdef`)).toBe(false);
    expect(ranInThisProcess(null)).toBe(false);
    expect(workerProcess('bench-worker')).toBeNull();
    expect(workerProcess('host:notapid:x')).toBeNull();
  });
});
