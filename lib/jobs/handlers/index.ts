import { registerHandler } from '../registry';
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

/** Every job kind the worker knows. Later issues add provisioning, upgrades and exports here. */
export function registerBuiltInHandlers(): void {
  registerHandler(pruneHandler);
  registerHandler(provisionHandler);
  registerHandler(destroyHandler);
  registerHandler(dbPasswordHandler);
  registerHandler(measureHandler);
  registerHandler(healthHandler);
  registerHandler(exportHandler);
  registerHandler(sweepHandler);
  registerHandler(importHandler);
  registerHandler(backupHandler);
  registerHandler(upgradeHandler);
  registerHandler(undoHandler);
  registerHandler(runDriverHandler);
  registerHandler(snapshotPruneHandler);
  registerHandler(tlsIssueHandler);
  registerHandler(tlsRenewHandler);
}
