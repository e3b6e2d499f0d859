import { describe, expect, it } from 'vitest';
import { CSV_PROBLEM_CODES, csvProblem, describeProblem, parseCsv, parseSiteCsv, problemWords, siteCsvTemplate } from '@/lib/domain/site-csv';
import { catalogueTranslator, translatorFor } from '@/lib/i18n/messages';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM, and skips blank lines', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('names the line of an unclosed quote or a stray one', () => {
    expect(parseCsv('host\n"a.example.org\n')).toMatchObject({ line: 2, reason: expect.stringContaining('never closed') });
    expect(parseCsv('host\na"b.example.org\n')).toMatchObject({ line: 2, reason: expect.stringContaining('quote inside') });
  });
});

describe('parseSiteCsv', () => {
  it('gives one request per line, hosts made canonical and shared-db read as yes or no', () => {
    const r = parseSiteCsv('host,platform,server,webmaster,shared_db\nWWW.Club.Example.org,spip-4.2,maria,Ann@Example.org,yes\ncafé.example.org,,,,\n');
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { line: 2, input: { host: 'club.example.org', platform: 'spip-4.2', server: 'maria', webmaster: 'ann@example.org', sharedDb: true } },
      { line: 3, input: { host: 'xn--caf-dma.example.org', sharedDb: false } },
    ]);
  });

  it('names every bad line with its column and reason, beside the lines that read well', () => {
    const r = parseSiteCsv(['host,webmaster,shared-db', 'good.example.org,,no', 'bad host,,', 'good.example.org,,', 'ok.example.org,not-an-email,maybe', 'x.example.org,a@b.org,no,extra'].join('\n'));
    expect(r.rows.map((row) => row.line)).toEqual([2]);
    expect(r.problems.map(describeProblem)).toEqual([
      expect.stringMatching(/^line 3, column host: "bad host" is not a valid site host: it contains spaces/),
      'line 4, column host: good.example.org is already on line 2',
      'line 5, column shared-db: "maybe" is not yes or no',
      'line 5, column webmaster: an e-mail address',
      'line 6: 4 fields for 3 columns (a comma inside a value needs quotes)',
    ]);
  });

  it("says every problem of a line in the reader's language: a bad host, an e-mail, the file's own", () => {
    const r = parseSiteCsv(['host,webmaster,shared-db', 'bad host,,', 'ok.example.org,not-an-email,maybe'].join('\n'));
    const fr = catalogueTranslator('fr');
    expect(r.problems.map((p) => problemWords(p, fr).replace(/\u00a0/g, ' '))).toEqual([
      expect.stringMatching(/^« bad host » n’est pas un hôte de site valable/),
      '« maybe » n’est ni yes ni no',
      'une adresse e-mail',
    ]);
    // The English words are the command line's, as before.
    expect(r.problems.map((p) => problemWords(p, catalogueTranslator('en')).replace(/’/g, "'"))).toEqual(r.problems.map((p) => p.reason));
  });

  it('refuses a file without a header, with an unknown column, or with no site', () => {
    expect(parseSiteCsv('').problems[0]!.reason).toContain('empty');
    expect(parseSiteCsv('blog.example.org\n').problems.map((p) => p.reason)).toEqual([expect.stringContaining('unknown column "blog.example.org"'), expect.stringContaining('no "host" column')]);
    expect(parseSiteCsv('host,colour\na.example.org,red').problems[0]!.reason).toContain('unknown column "colour"');
    expect(parseSiteCsv('host\n').problems[0]!.reason).toContain('no site in the file');
  });
});

describe('siteCsvTemplate', () => {
  it('is a file the parser reads back: the header and one example site', () => {
    const text = siteCsvTemplate({ platform: 'spip-4.2', server: 'main, the big one' });
    expect(text.split('\n')[0]).toBe('host,platform,server,webmaster,shared-db');
    expect(parseSiteCsv(text)).toEqual({
      problems: [],
      rows: [{ line: 2, input: { host: 'blog.example.org', platform: 'spip-4.2', server: 'main, the big one', webmaster: 'webmaster@example.org', sharedDb: false } }],
    });
  });
});

describe('the file\'s own problems', () => {
  it('are said by the English catalogue in the very words of the command line', () => {
    const t = translatorFor('en', 'newSite') as unknown as (key: string, values: object) => string;
    const values = { columns: 'host, platform', name: 'colour', fields: 3, host: 'a.example.org', line: 2, value: 'maybe', alias: 'www.a.example.org' };
    for (const code of CSV_PROBLEM_CODES) {
      expect(t(`csv.problem.${code}`, values).replace(/’/g, "'"), code).toBe(csvProblem(1, null, code, values).reason);
    }
  });
});
