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
  // Rarer lines of the jobs' steps: the front, certificates, exports, health, destroy, snapshots, runs, housekeeping, progress texts.
  // A placeholder named count or n<Name> holds a number (matched as digits, said with the reader's plurals).
  frontNone: 'front: none is set up (mutu front setup), the site is not served yet',
  frontReloadedOnly: 'front: files already written by an earlier change that was not reloaded; {reloaded} reloaded',
  frontUpToDate: 'front: already up to date',
  frontWrittenOneReloaded: 'front: 1 file written and checked, {reloaded} reloaded',
  frontWrittenReloaded: 'front: {count} files written and checked, {reloaded} reloaded',
  frontWrittenOneStopped: 'front: 1 file written and checked; nginx and PHP-FPM are not running, it applies when they start',
  frontWrittenStopped: 'front: {count} files written and checked; nginx and PHP-FPM are not running, it applies when they start',
  frontHostFile: 'front: 1 host file written (read by nginx at each request: no reload)',
  frontHostFiles: 'front: {count} host files written (read by nginx at each request: no reload)',
  frontHttps: 'front: {count} files written and checked, {reloaded} reloaded: {host} is served over HTTPS',
  frontHttpsNoReload: 'front: {count} files written and checked: {host} is served over HTTPS',
  frontCertBack: 'front: the certificate served before is back ({count} files)',
  certIssued: 'certificate {serial} issued by {issuer} for {names}, valid until {date}',
  certAsked: 'certificate: job {job} asks the CA for one',
  certNotAsked: 'certificate: not asked for ({reason})',
  // Why a certificate is asked for (lib/tls/request.ts, lib/sites/addresses.ts): the job's first line.
  certForNewSite: 'a new site gets its certificate',
  certForAlias: '{alias} was added: a certificate covering it too',
  acmeAccountContact: 'ACME account registered with {ca} (contact {email})',
  acmeAccount: 'ACME account registered with {ca}',
  acmeAsking: 'asking {ca} for a certificate for {names}',
  acmeChallenge: "answering {ca}'s HTTP-01 challenge for {name}",
  renewNoFront: 'no front is set up: nothing to renew',
  renewNoAcme: 'no ACME directory is configured (MUTU_ACME_DIRECTORY): nothing to renew',
  challengesSwept: 'removed {count} challenge answers left over from earlier attempts',
  renewDueOne: '1 certificate from the CA expires before {date}: renewing',
  renewDue: '{count} certificates from the CA expire before {date}: renewing',
  renewedUntil: '{host}: renewed, valid until {date}',
  renewFailed: '{host}: renewal failed, its certificate (until {date}) keeps serving: {reason}',
  renewedSomeFailed: '{count} renewed, {nFailed} failed',
  renewedAll: '{count} renewed',
  notifyFailed: 'could not notify the admins: {reason}',
  dumped: 'database dumped: {file}, {size} compressed, sha256 {sha}',
  archivedAsSite: "{folder}/ archived as the site's own user {user}: only what the site itself can read",
  archived: '{file}: {count} files in {nFolders} folders ({bytes}), {size} compressed, sha256 {sha}',
  linksLeftOut: 'left out of the archive: {skipped} (links are never followed or kept; see the export docs)',
  // What an uploads archive left out, as phrases of that line's list (lines are matched whole: one and many apart).
  skippedSymlink: '1 symlink',
  skippedSymlinks: '{count} symlinks',
  skippedHardLink: '1 hard link',
  skippedHardLinks: '{count} hard links',
  skippedSpecial: '1 special file',
  skippedSpecials: '{count} special files',
  // A secret file the export left out, and why.
  leftOutSymlink: "{path} is a symbolic link: left out of the export (only the site's own regular files are taken)",
  leftOutHardLink: "{path} has other hard links: left out of the export (only the site's own regular files are taken)",
  leftOutSpecial: "{path} is not a regular file: left out of the export (only the site's own regular files are taken)",
  leftOutChanged: "{path} changed while read: left out of the export (only the site's own regular files are taken)",
  leftOutOutside: "{path} leads out of the site (a link on the way): left out of the export (only the site's own regular files are taken)",
  leftOutUnreadable: "{path} cannot be read: left out of the export (only the site's own regular files are taken)",
  changedWhileArchived: 'changed while archived (kept as read): {list}',
  secretsNotAsked: 'secret files not asked for: {list} left out (a site imported from this export gets new keys, and its users will need to reset their passwords)',
  secretsMissing: '{list}: not there (the application makes its keys when it first needs them)',
  noSecretFile: 'no secret file to export: the export holds none',
  secretsFile: "{file}: {held}, sha256 {sha}: the site's secret keys, keep this file safe",
  exportToldByMail: '{email}, who asked for it, was told by mail',
  exportTellFailed: 'could not tell the webmaster who asked for it: {reason}',
  exportsSwept: 'expired exports swept: {count}',
  exportFoldersRemoved: 'folders without a live export removed: {count}',
  healthNoFront: 'no front serves the sites yet (mutu front setup, or MUTU_HEALTH_FRONT for a front of your own): nothing probed',
  probed: 'probed {count} sites: {nUp} up, {nInstall} needing install, {nError} erring, {nDown} down',
  measured: 'measured {count} of {nTotal} sites',
  measureNoFolder: 'its folder {dir} is missing (see mutu sites scan); the last measure is kept',
  sqliteToTrash: 'the SQLite database {database} goes to the trash with the folder',
  droppedTablesOn: 'dropped {count} tables prefixed {prefix}_ from the shared database {database} on {server}',
  droppedDatabaseOn: 'dropped the database {database} on {server}',
  droppedUserOn: 'dropped the user {user} on {server}',
  movedToTrash: 'folder moved to {dir}',
  droppedTables: 'dropped {count} tables prefixed {prefix}_',
  droppedDatabaseUser: 'dropped database {database} and user {user}',
  droppedDatabase: 'dropped database {database}',
  removedDir: 'removed {dir}',
  snapshotsPruned: 'deleted {count} expired snapshot(s) and {nPartial} unfinished one(s)',
  snapshotTaken: 'snapshot taken: {path} ({size}, kept until {date})',
  restoredFromAt: 'database and config restored from {path} (taken {at})',
  restoredFrom: 'database and config restored from {path}',
  noPurgeCommand: '{platform} has no cache purge command: caches left as they are',
  healthNoHttp: 'health check: the command succeeded (the platform has no HTTP check)',
  healthDisabled: 'health check: the command succeeded; {path} not probed, the site is disabled',
  healthSeenUp: 'health check: {url}: up ({nCode}), in {ms} ms',
  healthSeen: 'health check: {seen}, in {ms} ms',
  markedFailed: '{host} is marked failed: the rollback did not finish (see above); restore it from its snapshot',
  // A platform's command (lib/platforms/run-command.ts); its {what} is one of the labels below. With a user first: the line without would match it too.
  commandRunningAs: 'running {what}: {args} (in {dir}, as {user}, time limit {count} s)',
  commandRunning: 'running {what}: {args} (in {dir}, time limit {count} s)',
  commandNotJson: '{what} wrote an output that is not JSON: ignored',
  moreLinesNotLogged: '({count} more lines not logged)',
  labelUpgrade: 'the upgrade command',
  labelInstall: 'the install command',
  labelPurge: 'the cache purge',
  labelPostImport: 'the post-import command',
  // What an interrupted upgrade command left (lib/upgrades/upgrade-handler.ts), and a command whose group outlived it (lib/platforms/run-logged.ts).
  leftoversKilled: 'killed {count} process(es) left by the interrupted upgrade command (group {group})',
  leftoversUnreaped: 'the interrupted upgrade command is dead, but some processes of its group are still there (zombies init has not reaped); run Mutu under an init that reaps them, such as `docker run --init`',
  commandUnreaped: '{what} ended, but some processes of its group are still there (zombies init has not reaped); run Mutu under an init that reaps them, such as `docker run --init`',
  upgradeRolledBack: 'the upgrade failed and was rolled back: the site works as before',
  upgradeStuck: 'the upgrade failed and its rollback did not finish',
  runMailFailed: 'could not mail the {event} notice: {reason}',
  runCancelled: 'run cancelled: {count} upgraded, {nFailed} failed, {nPending} not started',
  runPausedByAdmin: 'run paused (by an admin); sites under way finish on their own',
  runPausedFailuresAgain: 'run paused ({count} failure(s), more than the {nAllowed} allowed); sites under way finish on their own',
  runPausedBecause: 'run paused ({reason}); sites under way finish on their own',
  runPausedFailures: 'run paused: {count} failure(s), more than the {nAllowed} allowed',
  runPaused: 'run paused: {reason}',
  runEnded: 'run {status}: {count} upgraded, {nFailed} failed, {nSkipped} skipped',
  runSkipped: '{host} skipped: {reason}',
  runStarted: 'run {run} started: {count} site(s) to {target}',
  backupsOff: 'scheduled backups are off (MUTU_BACKUP_KEEP=0)',
  backupFailed: '{host}: backup failed: {reason}',
  backedUpOne: '1 site backed up',
  backedUpOneFailed: '1 site backed up, {nFailed} failed',
  backedUpFailed: '{count} sites backed up, {nFailed} failed',
  backedUp: '{count} sites backed up',
  forgotCounters: 'forgot {count} expired rate-limit counters',
  forgotLinks: 'forgot {count} spent or expired password links',
  forgotWorkers: 'forgot {count} worker(s) unheard for {nDays} days',
  trashEmptied: 'emptied from the trash: {name}',
  trashRemoved: 'trash: {count} folder(s) older than {nDays} days removed',
  plannerStats: "refreshed the registry's query planner statistics",
  dbPasswordReady: 'a new password is ready for {user} on {server}',
  dbPasswordSet: '{user} has its new password on {server} (sent as its hash)',
  dbPasswordBack: '{user} has its old password back on {server}',
  dbPasswordFile: '{file} holds the new password',
  dbPasswordFileBack: '{file} is back as it was',
  dbPasswordLogin: '{user} logs in to {database} with the new password',
  // The shared account of a server in shared-database mode (lib/sites/shared-account.ts).
  sharedPasswordReused: "the shared account {user} is also {server}'s: its password is reused",
  sharedPasswordReset: "the shared account {user} exists on {server} with a password the registry does not hold: it gets the registry's",
  sharedConnectionFiles: "connection files rewritten with the shared account's password: {list}",
  webmastersTold: "the site's webmasters were told by mail ({count})",
  webmastersTellFailed: "could not tell the site's webmasters: {reason}",
  firstAdminLink: "{email} is its first administrator; their welcome mail will carry the application's link to choose a password",
  firstAdminChosen: '{email} is its first administrator, with the password they chose',
  firstAdmin: '{email} is its first administrator',
  welcomeSentLink: "welcome mail sent to {email}, with the application's link to choose a password",
  welcomeSent: 'welcome mail sent to {email}',
  welcomeFailed: 'the welcome mail to the webmaster failed ({reason}): add them again from the site page to send it, or they use "Forgot password?"',
  progressSites: '{count} of {nTotal} sites',
  progressSitesAll: '{count} sites',
  progressReady: 'ready',
  progressPreparing: 'preparing',
  progressDestroyed: 'destroyed',
  progressInstalling: 'installing the application',
  progressNewPassword: 'new password in use',
  progressDumping: 'dumping the database and archiving {folder}/',
  progressCertificates: '{count} of {nTotal} certificates',
  progressDumpingOf: 'dumping the database and archiving {folder}/: {bytes} of about {estimate}',
  progressDumpingBytes: 'dumping the database and archiving {folder}/: {bytes}',
  progressWaiting: 'waiting for a worker',
  preflight: 'preflight: {host} on {from} -> {to}; database reachable ({dbSize}); {free} free for a snapshot of about {size}',
  // A site's health (lib/domain/health.ts): the line of a site that is not up, then what its probe saw, as its {detail}.
  healthSiteDown: '{host}: down: {detail}',
  healthSiteError: '{host}: error ({nCode}): {detail}',
  healthSiteInstall: '{host}: needs-install ({nCode}): {detail}',
  healthNoAnswer: 'no answer',
  healthNoAnswerWithin: 'no answer within {count} s',
  healthRedirectDead: 'redirects to {where}, which does not answer: {detail}',
  healthStopped: 'the probe stopped before the end of its redirects',
  healthNowhere: 'answers {nCode} without saying where to',
  healthLoop: 'redirects in a loop ({path})',
  healthTooMany: 'more than {count} redirects ({path} → …)',
  healthInstallerRedirect: 'redirects to {where} (the installer)',
  healthInstaller: '{where} answers (the installer)',
  healthSignInEmpty: 'redirects to {where} (sign-in); its database holds none of its tables',
  healthSignIn: 'redirects to {where} (sign-in)',
  healthCodeAfterEmpty: 'answers {nCode} after redirecting to {where}; its database holds none of its tables',
  healthCodeAfter: 'answers {nCode} after redirecting to {where}',
  healthCodeEmpty: 'answers {nCode}; its database holds none of its tables',
  healthCode: 'answers {nCode}',
  healthRedirects: 'redirects to {where}',
  // What destroying a site leaves on its database server (lib/domain/db-removal.ts): "kept" and the thing kept, and why.
  kept: 'kept {what}',
  keptAdoptedTablesUser: 'the tables prefixed {prefix}_ in the database {database} and the user {user}: Mutu did not make them (the site was adopted); to drop them too, destroy it with --drop-database (or tick "also drop its database" on its page)',
  keptAdoptedTables: 'the tables prefixed {prefix}_ in the database {database}: Mutu did not make them (the site was adopted); to drop them too, destroy it with --drop-database (or tick "also drop its database" on its page)',
  keptAdoptedDbUser: 'the database {database} and the user {user}: Mutu did not make them (the site was adopted); to drop them too, destroy it with --drop-database (or tick "also drop its database" on its page)',
  keptAdoptedDb: 'the database {database}: Mutu did not make them (the site was adopted); to drop them too, destroy it with --drop-database (or tick "also drop its database" on its page)',
  keptTablesUsed: 'the tables prefixed {prefix}_ in the database {database}: {others} uses them too',
  keptDbUsed: 'the database {database}: {others} uses it too',
  keptUserUsed: 'the user {user}: {others} uses it too',
  keptUserReach: 'the user {user}: it still has rights or objects in {places}',
  // Phrases inside those lines' lists; a list cut short first (its first phrase would match it whole).
  phrasesMore: '{list} and {count} more',
  phraseSite: 'the site {host}',
  phraseFolder: 'the folder {dir} (not registered)',
  phraseWholeServer: 'the whole server',
  // A site backed up by the daily backups (lib/backups/backup-handler.ts).
  backedUpSitePruned: '{host}: backed up as {file} ({size}), removed {count} older',
  backedUpSite: '{host}: backed up as {file} ({size})',
  progressDone: 'done',
  progressCertInstalled: 'certificate installed',
  // An import's steps (lib/imports/import-handler.ts).
  importVerified: 'export of {host} made {created} ({engine}, {format}): manifest and checksums verified',
  importPrefixShared: 'table prefix: {prefix}_ (exported from a shared database, now in its own)',
  importPrefix: 'table prefix: {prefix}_',
  importNoPrefix: 'table prefix: (none)',
  importDumpSize: 'dump decompressed: {size} of SQL',
  importDbRestored: 'database restored',
  importUploads: '{folder}/ restored: {count} files in {nFolders} folders ({bytes})',
  importNoSecrets:
    "the export holds no secret keys ({list}): {app} makes new ones, so the passwords stored in the database no longer match: the site's users (SPIP's authors) will need to reset their passwords (\"forgotten password\")",
  importSecrets: "secret keys restored: {list} (the site's users sign in with their passwords as before)",
  importSameHost: 'same host as exported ({host}): nothing to change in the application',
  importNoPostImport: '{platform} has no post-import command: the application may still name {host} in its settings',
  progressChecksums: 'checking the checksums',
  progressRestoringDb: 'restoring the database',
  progressUnpacking: 'unpacking {folder}/: {bytes}',
} as const;

export type WorkerLine = keyof typeof WORKER_LINES;
export type WorkerLineValues = Record<string, string>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** A placeholder that holds a number: `count`, or `n` and a capital (`nFailed`). `dir` holds an absolute path. */
export const isNumberName = (name: string) => name === 'count' || /^n[A-Z]/.test(name);

/** A placeholder that holds a size as formatBytes wrote it in English ("2.0 MiB"): a page says it again in its reader's units. */
export const isSizeName = (name: string) => ['size', 'bytes', 'estimate', 'dbSize', 'free'].includes(name);
/** A placeholder that holds a date (2026-11-23) or a time (an ISO timestamp): a page says it again in its reader's way. */
export const isDateName = (name: string) => ['date', 'at', 'created'].includes(name);

/** A worker line as the log stores it. */
export function formatWorkerLine(line: WorkerLine, values: WorkerLineValues = {}): string {
  return WORKER_LINES[line].replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');
}

const PATTERNS = (Object.keys(WORKER_LINES) as WorkerLine[]).map((line) => {
  const names: string[] = [];
  const source = WORKER_LINES[line]
    .split(PLACEHOLDER)
    // split keeps the captured names at odd positions: the text between them is matched literally
    .map((part, i) => (i % 2 ? (names.push(part), isNumberName(part) ? '(\\d+)' : part === 'dir' ? '(/[\\s\\S]*?)' : '([\\s\\S]*?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
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
