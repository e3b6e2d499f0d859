/** The words of the site page's actions that ask for a confirmation (upgrade, disable). Kept together for translation catalogues. */
export const siteActionsText = {
  typeToConfirm: (host: string) => `Type ${host} to confirm`,
  mismatch: (host: string) => `Type the site's host (${host}) exactly to confirm.`,
  cancel: 'Cancel',
  follow: 'Follow the job →',
  activeJob: {
    title: 'A job is working on this site',
    status: (kind: string, status: string) => `${kind}: ${status}`,
    step: (step: string) => `step “${step}”`,
    follows: 'This page follows it and updates itself.',
    openLog: 'Open its log →',
  },
  disable: {
    open: 'Disable…',
    title: (host: string) => `Disable ${host}?`,
    what: 'Visitors get the maintenance page at once. Its folder, database and webmasters are kept, and its webmasters are told by mail; enable it again at any time.',
    submit: 'Disable',
    pending: 'Disabling…',
  },
  upgrade: {
    open: 'Upgrade…',
    to: 'To platform',
    toLabel: 'Platform to upgrade to',
    current: (name: string, version: string) => `Now on ${name}${version ? ` (${version})` : ''}.`,
    noNewer: 'No newer release of this application is registered.',
    goBack: 'Go back to an older release instead',
    goBackHint: 'Undo, below, is the normal way back: it restores the site exactly as a snapshot has it. Going back by an upgrade runs the older release\u2019s upgrade command on today\u2019s data.',
    what: 'A snapshot of the database and configuration is taken first; any failure puts the site back as it was. Its webmasters are told by mail.',
    submit: 'Upgrade',
    submitBack: 'Go back',
    pending: 'Queuing…',
  },
} as const;
