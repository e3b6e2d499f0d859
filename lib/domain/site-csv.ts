import { createSiteSchema, type CreateSiteInput } from './site-request';
import { HostError, siteHosts } from './host';

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
  reason: string;
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
      if (c === '"') return { line, column: null, reason: 'a quote inside an unquoted field: put the whole field in quotes and double the quote' };
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { line: start, column: null, reason: 'a quoted field is never closed' };
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
  if (!header) return { rows: [], problems: [{ line: 1, column: null, reason: `the file is empty: give a header line (${CSV_COLUMNS.join(',')}) then one site per line` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/_/g, '-'));
  const problems: CsvProblem[] = [];
  for (const n of names) {
    if (!(CSV_COLUMNS as readonly string[]).includes(n)) problems.push({ line: header.line, column: null, reason: `unknown column "${n}": the columns are ${CSV_COLUMNS.join(', ')}` });
  }
  if (!names.includes('host')) problems.push({ line: header.line, column: null, reason: 'no "host" column: the first line names the columns, such as host,platform,server,webmaster,shared-db' });
  if (problems.length) return { rows: [], problems };
  if (!body.length) return { rows: [], problems: [{ line: header.line, column: null, reason: 'no site in the file: one site per line after the header' }] };

  const rows: CsvSiteRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const rec of body) {
    if (rec.fields.length > names.length) {
      problems.push({ line: rec.line, column: null, reason: `${rec.fields.length} fields for ${names.length} columns (a comma inside a value needs quotes)` });
      continue;
    }
    const before = problems.length;
    const value = (col: Column) => rec.fields[names.indexOf(col)]?.trim() ?? '';
    const bad = (column: Column, reason: string) => problems.push({ line: rec.line, column, reason });
    let host = '';
    try {
      host = siteHosts(value('host')).host;
      const first = firstLineOf.get(host);
      if (first) bad('host', `${host} is already on line ${first}`);
      else firstLineOf.set(host, rec.line);
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      bad('host', err.message);
    }
    const shared = value('shared-db').toLowerCase();
    if (!YES.has(shared) && !NO.has(shared)) bad('shared-db', `"${value('shared-db')}" is not yes or no`);
    const parsed = createSiteSchema.safeParse({
      host: host || value('host'),
      platform: value('platform') || undefined,
      server: value('server') || undefined,
      webmaster: value('webmaster') || undefined,
      sharedDb: YES.has(shared),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) bad((String(issue.path[0] ?? 'host') === 'sharedDb' ? 'shared-db' : String(issue.path[0] ?? 'host')) as Column, issue.message);
      continue;
    }
    if (problems.length === before) rows.push({ line: rec.line, input: { ...parsed.data, host } });
  }
  return { rows, problems };
}
