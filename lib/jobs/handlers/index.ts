import { registerHandler } from '../registry';
import type { JobHandler } from '../types';
import { pruneHandler } from './prune';
import { provisionHandler } from '../../sites/provision-handler';
import { destroyHandler } from '../../sites/destroy-handler';
import { dbPasswordHandler } from '../../sites/db-password-handler';
import { measureHandler } from '../../sites/measure-handler';
import { healthHandler } from '../../sites/health-handler';
import { exportHandler } from '../../exports/export-handler';
import { sweepHandler } from '../../exports/sweep-handler';
import { importHandler } from '../../imports/import-handler';
import { backupHandler } from '../../backups/backup-handler';
import { upgradeHandler } from '../../upgrades/upgrade-handler';
import { undoHandler } from '../../upgrades/undo-handler';
import { runDriverHandler } from '../../upgrades/run-driver';
import { snapshotPruneHandler } from '../../upgrades/prune-snapshots';
import { tlsIssueHandler } from '../../tls/issue-handler';
import { tlsRenewHandler } from '../../tls/renew-handler';

/**
 * Every job kind the worker knows: each handler's file holds its kind, its parameters' schema
 * and its steps. A new kind is one `defineJob` in its own file, listed here.
 */
export const builtInHandlers = [
  pruneHandler,
  provisionHandler,
  destroyHandler,
  dbPasswordHandler,
  measureHandler,
  healthHandler,
  exportHandler,
  sweepHandler,
  importHandler,
  backupHandler,
  upgradeHandler,
  undoHandler,
  runDriverHandler,
  snapshotPruneHandler,
  tlsIssueHandler,
  tlsRenewHandler,
] as const satisfies readonly JobHandler[];

export type JobKind = (typeof builtInHandlers)[number]['kind'];

export function registerBuiltInHandlers(): void {
  for (const handler of builtInHandlers) registerHandler(handler);
}
