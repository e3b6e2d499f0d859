import type { ActionState } from '@/lib/auth/action';
import type { ScanReport, UnknownFolder } from '@/lib/sites/scan';

/** At most this many entries of each list travel to the page; the CLI's --json gives them all. */
export const SCAN_SHOWN = 200;

export interface Capped<T> {
  items: T[];
  total: number;
}

/** The scan report as the page shows it: each list capped, with its full count. */
export interface ScanView {
  scannedAt: string;
  folders: number;
  sites: number;
  unknownFolders: Capped<UnknownFolder>;
  missingFolders: Capped<ScanReport['missingFolders'][number]>;
  missingDatabases: Capped<ScanReport['missingDatabases'][number]>;
  unreachableServers: Capped<ScanReport['unreachableServers'][number]>;
}

const cap = <T,>(list: T[]): Capped<T> => ({ items: list.slice(0, SCAN_SHOWN), total: list.length });

export function scanView(r: ScanReport): ScanView {
  return {
    scannedAt: r.scannedAt.toISOString(),
    folders: r.folders,
    sites: r.sites,
    unknownFolders: cap(r.unknownFolders),
    missingFolders: cap(r.missingFolders),
    missingDatabases: cap(r.missingDatabases),
    unreachableServers: cap(r.unreachableServers),
  };
}

export type ScanState = (NonNullable<ActionState> & { report?: ScanView }) | undefined;
export type AdoptState = (NonNullable<ActionState> & { host?: string }) | undefined;
