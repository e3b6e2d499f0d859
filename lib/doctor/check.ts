/** One line of the doctor's report. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** one line: what was found, and for a warning or failure what to do */
  detail: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string): CheckResult => ({ name, status: 'warn', detail });
export const fail = (name: string, detail: string): CheckResult => ({ name, status: 'fail', detail });

export const errorText = (err: unknown): string =>
  err instanceof Error ? err.message.split('\n')[0] || err.name : String(err);
