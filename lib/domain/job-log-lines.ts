/**
 * The lines the job worker itself writes to a job's log (started, failed, undone…), and the
 * most frequent ones of the jobs' own steps, in the English the log stores. One table for both
 * sides: the worker or step writes a line from its template, and the job page recognises the
 * line again to word it in the reader's language (the `jobSteps.lines` catalogue). Other lines
 * a step writes (a tool's output, rarer events) are shown as they are.
 */

export const WORKER_LINES = {
  started: 'started on {worker} (node {node})',
  resumed: 'resumed at step "{step}" (attempt {attempt})',
  succeeded: 'succeeded',
  paused: 'paused: the worker stopped; it will resume',
  cancelledUndoing: 'cancelled: undoing what it did',
  failed: 'failed: {reason}',
  undoingBecause: 'undoing: {reason}',
  undone: 'undone: {step}',
  undoFailed: 'undo of "{step}" failed: {reason}',
  afterJob: 'after the job: {reason}',
  closing: 'its worker ({worker}) died after the last step; closing it',
  interruptedResume: 'interrupted: its worker ({worker}) died during step "{step}"; it will resume',
  interruptedUndo: 'interrupted: its worker ({worker}) died during step "{step}"; undoing what it did',
  lostRegistryResume: 'interrupted: its worker ({worker}) lost the registry during step "{step}"; it will resume',
  lostRegistryUndo: 'interrupted: its worker ({worker}) lost the registry during step "{step}"; undoing what it did',
  // The most frequent lines of jobs' own steps (making a site, upgrading one), written from here too.
  reserved: 'reserved {host}',
  reservationReleased: 'reservation released',
  foldersMade: 'folders made in {dir}: {folders}',
  // before the line without a user, which would match it too (lines are recognised in this order)
  databaseUserCreated: 'database {database} and user {user} created on {server} ({engine})',
  databaseCreated: 'database {database} created on {server} ({engine})',
  sharedTables: 'tables prefixed {prefix}_ in the shared database {database} on {server}',
  connectionFile: 'connection file written: {file}',
  ownLogin: "the site's own login works",
  ownLoginAs: "the site's own login works ({user} on {server})",
  webmaster: 'webmaster: {email}',
  adminsNotified: 'admins notified',
  unixUser: "Unix user {user}: the site's PHP and its platform's commands run as it",
  unixUserRemoved: 'Unix user {user} removed',
  noFrontNoUser: 'no front is set up: no Unix user yet (the site is not served)',
  noInstallCommand: "{platform} has no install command: the application's own installer is left to the webmaster",
  switchedTo: 'switched to {platform} ({path})',
  switchedBack: 'switched back to {platform}',
  noUpgradeCommand: '{platform} has no upgrade command: the switch is the whole upgrade',
  upgradeCommandOk: 'the upgrade command succeeded',
} as const;

export type WorkerLine = keyof typeof WORKER_LINES;
export type WorkerLineValues = Record<string, string>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** A worker line as the log stores it. */
export function formatWorkerLine(line: WorkerLine, values: WorkerLineValues = {}): string {
  return WORKER_LINES[line].replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

const PATTERNS = (Object.keys(WORKER_LINES) as WorkerLine[]).map((line) => {
  const names: string[] = [];
  const source = WORKER_LINES[line]
    .split(PLACEHOLDER)
    // split keeps the captured names at odd positions: the text between them is matched literally
    .map((part, i) => (i % 2 ? (names.push(part), '([\\s\\S]*?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { line, names, re: new RegExp(`^${source}$`) };
});

/** Which worker line a stored log line is, with its values; null for any other line. */
export function parseWorkerLine(message: string): { line: WorkerLine; values: WorkerLineValues } | null {
  for (const { line, names, re } of PATTERNS) {
    const m = re.exec(message);
    if (m) return { line, values: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
  }
  return null;
}
