import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { RestrictedPsqlInput } from '@/lib/databases/psql-input';

const KEY = 'ours';

/** What psql would read, the dump fed in pieces of `piece` bytes. */
async function fed(dump: string, piece = 7): Promise<string> {
  const bytes = Buffer.from(dump);
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) pieces.push(bytes.subarray(i, i + piece));
  return text(Readable.from(pieces).pipe(new RestrictedPsqlInput(KEY)));
}

const PG_DUMP = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  '',
  '\\restrict xJxPIUBfLUWKqkG5ipVYOWoJPPjRUFYE8Zn2Xxq2bs6lAiA9PTMwDzYg1rvMn9f',
  '',
  'SET statement_timeout = 0;',
  'COPY public.t (a) FROM stdin;',
  '\\N',
  '\\\\unrestrict not a command',
  '\\.',
  '',
  '\\unrestrict xJxPIUBfLUWKqkG5ipVYOWoJPPjRUFYE8Zn2Xxq2bs6lAiA9PTMwDzYg1rvMn9f',
  '',
  '--',
  '-- PostgreSQL database dump complete',
  '--',
  '',
].join('\n');

describe('RestrictedPsqlInput', () => {
  it.each([1, 7, 4096])("puts our \\restrict first and drops pg_dump's own opening and closing lines (pieces of %i bytes)", async (piece) => {
    const out = await fed(PG_DUMP, piece);
    expect(out.startsWith(`\\restrict ${KEY}\n`)).toBe(true);
    expect(out).not.toMatch(/\\restrict xJx|\\unrestrict xJx/);
    expect(out).toContain('SET statement_timeout = 0;\nCOPY public.t (a) FROM stdin;\n\\N\n\\\\unrestrict not a command\n\\.\n');
    expect(out.endsWith('\\.\n\n')).toBe(true); // the closing line goes with the comments after it
  });

  it('lets psql see an \\unrestrict that anything follows, so it refuses it', async () => {
    const dump = 'SELECT 1;\n\\unrestrict abc\n\\! touch /tmp/x\n';
    expect(await fed(dump)).toBe(`\\restrict ${KEY}\n${dump}`);
    const late = 'SELECT 1;\n\\unrestrict abc\n-- a comment\nSELECT 2;\n';
    expect(await fed(late)).toBe(`\\restrict ${KEY}\n${late}`);
  });

  it('keeps a \\restrict that comes after the first statement (psql refuses it)', async () => {
    const dump = 'SELECT 1;\n\\restrict abc\n';
    expect(await fed(dump)).toBe(`\\restrict ${KEY}\n${dump}`);
  });

  it('passes long lines through whole, whatever the pieces, and a last line without its newline', async () => {
    const long = `INSERT INTO t VALUES ('${'x'.repeat(100_000)}');`;
    const dump = `\\restrict k\n${long}\n\\N\t${'y'.repeat(300)}\nSELECT 1;`;
    expect(await fed(dump, 1000)).toBe(`\\restrict ${KEY}\n${long}\n\\N\t${'y'.repeat(300)}\nSELECT 1;`);
  });
});
