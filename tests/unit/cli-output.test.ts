import { afterEach, describe, expect, it, vi } from 'vitest';
import { printJson, printJsonArrayText } from '@/lib/cli/output';
import { jsonElementsText } from '@/lib/domain/json-text';

/** What a print writes to standard output, as one text. */
async function printed(print: () => unknown): Promise<string> {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  await print();
  vi.restoreAllMocks();
  return chunks.join('');
}

afterEach(() => vi.restoreAllMocks());

describe('printJsonArrayText', () => {
  const items = [{ host: 'a.example.org', bytes: 12n, nested: { list: [1, 2], none: null } }, { host: 'b.example.org', when: new Date('2026-12-02T10:00:00Z') }, { host: 'c' }];
  async function* batches(...sizes: number[]) {
    let at = 0;
    for (const n of sizes) {
      yield jsonElementsText(items.slice(at, at + n));
      at += n;
    }
  }

  it('prints, batch after batch, the very text printJson gives the whole array', async () => {
    const whole = await printed(() => printJson(items));
    for (const sizes of [[3], [1, 2], [1, 0, 1, 1], [0, 3, 0]]) expect(await printed(() => printJsonArrayText(batches(...sizes))), sizes.join(',')).toBe(whole);
  });

  it('prints an empty array when no batch holds anything', async () => {
    expect(await printed(() => printJsonArrayText(batches(0, 0)))).toBe(await printed(() => printJson([])));
  });
});
