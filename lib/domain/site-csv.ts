import { createSiteSchema, type CreateSiteInput } from './site-request';
import { HostError, siteHosts } from './host';
import { wordsOf, type Translation } from './errors';

/**
 * Many sites from one CSV file (`mutu sites create --from-csv`), as VMoodle's bulk creation
 * takes them: a header line naming the columns, then one site per line. The whole file is
 * checked before anything is made; every bad line is named with its column and reason.
 */
export const CSV_COLUMNS = ['host', 'platform', 'server', 'webmaster', 'shared-db'] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvProblem {
  /** 1-based line of the file */
  line: number;
  column: Column | null;
  /** in English, as the command line says it */
  reason: string;
  /** for a problem of the file itself (not one a single site's request would have): a page says it in its reader's language */
  code?: CsvProblemCode;
  values?: Record<string, string | number>;
  /** for a refusal of the site's request (a bad host, an unknown platform...): its catalogue words, said in the reader's language */
  words?: Translation;
}

/** The file's own problems, in English; messages/*.json `newSite.csv.problem` say them again, in each language. */
const REASONS = {
  quoteInside: () => 'a quote inside an unquoted field: put the whole field in quotes and double the quote',
  quoteNotClosed: () => 'a quoted field is never closed',
  empty: (v) => `the file is empty: give a header line (${v.columns}) then one site per line`,
  unknownColumn: (v) => `unknown column "${v.name}": the columns are ${v.columns}`,
  noHostColumn: () => 'no "host" column: the first line names the columns, such as host,platform,server,webmaster,shared-db',
  noSite: () => 'no site in the file: one site per line after the header',
  tooManyFields: (v) => `${v.fields} fields for ${v.columns} columns (a comma inside a value needs quotes)`,
  duplicate: (v) => `${v.host} is already on line ${v.line}`,
  notYesNo: (v) => `"${v.value}" is not yes or no`,
  taken: (v) => `a site or an alias named ${v.host} already exists`,
  notEmail: () => 'an e-mail address',
  aliasTaken: (v) => `${v.alias}, the www. alias it would get, is already another site's`,
} satisfies Record<string, (v: Record<string, string | number>) => string>;
export type CsvProblemCode = keyof typeof REASONS;
export const CSV_PROBLEM_CODES = Object.keys(REASONS) as CsvProblemCode[];

/** A problem of the file itself: its English reason, and its code and values for a page to translate. */
export function csvProblem(line: number, column: Column | null, code: CsvProblemCode, values: Record<string, string | number> = {}): CsvProblem {
  return { line, column, reason: REASONS[code](values), code, values };
}

export interface CsvSiteRow {
  line: number;
  input: CreateSiteInput & { host: string };
}

/**
 * What the dashboard takes in one upload: the file is read whole in the browser and sent in
 * one request, and its sites are queued in that request (the command line has no such cap).
 */
export const CSV_UPLOAD_MAX_BYTES = 256 * 1024;
export const CSV_UPLOAD_MAX_SITES = 500;

/** A file to start from: the header line and one example site. */
export function siteCsvTemplate(example: { platform: string; server: string }): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${CSV_COLUMNS.join(',')}\n${['blog.example.org', example.platform, example.server, 'webmaster@example.org', 'no'].map(cell).join(',')}\n`;
}

/**
 * A problem in a reader's language, given a translator of the whole catalogue (a page's): the
 * file's own problems and the refusals that carry words; any other reason as it is.
 */
export const problemWords = (p: CsvProblem, t: (key: string, values: Record<string, string | number>) => string): string =>
  p.code ? t(`newSite.csv.problem.${p.code}`, p.values ?? {}) : p.words ? wordsOf(t, p.words) : p.reason;

/** "line 4, column webmaster: an e-mail address" */
export const describeProblem = (p: CsvProblem) => `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.reason}`;

/** RFC 4180 records (quotes, doubled quotes, commas and line breaks inside quotes), each with the line it starts on. */
export function parseCsv(text: string): { line: number; fields: string[] }[] | CsvProblem {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      start = line;
    } else {
      if (c === '"') return csvProblem(line, null, 'quoteInside');
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return csvProblem(start, null, 'quoteNotClosed');
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
  return records;
}

const YES = new Set(['yes', 'true', '1', 'y', 'oui']);
const NO = new Set(['no', 'false', '0', 'n', 'non', '']);

/** The sites a CSV file asks for (the lines that read well) and every problem in it: with any problem, none is to be made. */
export function parseSiteCsv(text: string): { rows: CsvSiteRow[]; problems: CsvProblem[] } {
  const records = parseCsv(text);
  if (!Array.isArray(records)) return { rows: [], problems: [records] };
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [csvProblem(1, null, 'empty', { columns: CSV_COLUMNS.join(',') })] };
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/_/g, '-'));
  const problems: CsvProblem[] = [];
  for (const n of names) {
    if (!(CSV_COLUMNS as readonly string[]).includes(n)) problems.push(csvProblem(header.line, null, 'unknownColumn', { name: n, columns: CSV_COLUMNS.join(', ') }));
  }
  if (!names.includes('host')) problems.push(csvProblem(header.line, null, 'noHostColumn'));
  if (problems.length) return { rows: [], problems };
  if (!body.length) return { rows: [], problems: [csvProblem(header.line, null, 'noSite')] };

  const rows: CsvSiteRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const rec of body) {
    if (rec.fields.length > names.length) {
      problems.push(csvProblem(rec.line, null, 'tooManyFields', { fields: rec.fields.length, columns: names.length }));
      continue;
    }
    const before = problems.length;
    const value = (col: Column) => rec.fields[names.indexOf(col)]?.trim() ?? '';
    const bad = (column: Column, reason: string, words?: Translation) => problems.push({ line: rec.line, column, reason, ...(words ? { words } : {}) });
    let host = '';
    try {
      host = siteHosts(value('host')).host;
      const first = firstLineOf.get(host);
      if (first) problems.push(csvProblem(rec.line, 'host', 'duplicate', { host, line: first }));
      else firstLineOf.set(host, rec.line);
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      bad('host', err.message, err.translation);
    }
    const shared = value('shared-db').toLowerCase();
    if (!YES.has(shared) && !NO.has(shared)) problems.push(csvProblem(rec.line, 'shared-db', 'notYesNo', { value: value('shared-db') }));
    const parsed = createSiteSchema.safeParse({
      host: host || value('host'),
      platform: value('platform') || undefined,
      server: value('server') || undefined,
      webmaster: value('webmaster') || undefined,
      sharedDb: YES.has(shared),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = (String(issue.path[0] ?? 'host') === 'sharedDb' ? 'shared-db' : String(issue.path[0] ?? 'host')) as Column;
        if (column === 'webmaster') problems.push(csvProblem(rec.line, column, 'notEmail'));
        else bad(column, issue.message);
      }
      continue;
    }
    if (problems.length === before) rows.push({ line: rec.line, input: { ...parsed.data, host } });
  }
  return { rows, problems };
}
