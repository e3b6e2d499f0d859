import type { ActionState } from '@/lib/auth/action';
import type { Translation } from '@/lib/domain/errors';
import type { CsvProblem } from '@/lib/domain/site-csv';

/** A line of a checked file, as the page lists it before anything is made. */
export interface CsvPreviewRow {
  line: number;
  host: string;
  platform: string;
  server: string;
  webmaster: string | null;
  sharedDb: boolean;
}

/**
 * What the CSV actions answer: a refusal of the whole upload (`error`), the file's problems
 * (nothing made), the sites it would make (a check), or the jobs queued (a creation).
 */
export type CsvState =
  | (NonNullable<ActionState> & {
      problems?: CsvProblem[];
      rows?: CsvPreviewRow[];
      queued?: { line: number; host: string; jobId: string }[];
      refused?: { line: number; host: string; reason: string; words?: Translation }[];
    })
  | undefined;
