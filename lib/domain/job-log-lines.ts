/**
 * The lines the job worker itself writes to a job's log (started, failed, undone…), in the
 * English the log stores. One table for both sides: the worker writes a line from its
 * template, and the job page recognises the line again to word it in the reader's language
 * (the `jobSteps.lines` catalogue). Lines a job's own steps write are shown as they are.
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
