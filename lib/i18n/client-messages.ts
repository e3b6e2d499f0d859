/**
 * The parts of the catalogue a page sends the browser. Every page carried the whole catalogue
 * (94 KB, a third of the sites list's page) though its client components read a few sections:
 * the root layout now passes these, and `tests/unit/client-messages.test.ts` fails when a client
 * component reads a section not listed here (next-intl would show the raw key).
 */
/** What the client components of any page read with useTranslations('section'). */
export const CLIENT_SECTIONS = [
  'account.change',
  'account.forgot',
  'account.menu',
  'account.set',
  'codes.form',
  'codes.new',
  'create',
  'disk',
  'errors',
  'exports',
  'health',
  'importSite',
  'jobs.cancel',
  'jobs.live',
  'language',
  'login',
  'newSite',
  'nodes.form',
  'nodes.job',
  'nodesMore',
  'platforms.form',
  'runs',
  'scan',
  'serverErrors',
  'servers.add',
  'shell',
  'site.aliases',
  'site.confirm',
  'site.destroyForm',
  'site.disable',
  'site.tls',
  'site.upgrade',
  'site.webmasters',
  'sites.table',
  'sitesList.bulk',
  'sitesList.filters',
  'sitesList.pager',
  'status',
  'ui',
  'users.create',
  'users.delete',
  'users.oneTime',
  'users.reset',
  'users.role',
  'users.table',
] as const;

/**
 * The sections a job's stored words and the services' refusals are said from (lib/i18n/job-words.ts,
 * wordsOf): any key of them, so they go only to the parts of pages that say such words in the
 * browser, wrapped in components/i18n/with-job-words.tsx (40 KB).
 */
export const JOB_WORD_SECTIONS = ['jobSteps', 'serviceErrors', 'serverErrors'] as const;

type Tree = { [key: string]: string | Tree };

/** The catalogue cut down to the given sections ("site.tls": that branch of "site" only). */
export function pickSections<M extends object>(messages: M, sections: readonly string[]): Partial<M> {
  const out: Tree = {};
  for (const section of sections) {
    const path = section.split('.');
    let from: string | Tree | undefined = messages as unknown as Tree;
    for (const key of path) from = typeof from === 'object' ? from[key] : undefined;
    if (from === undefined) throw new Error(`no section "${section}" in the catalogue`);
    let into = out;
    for (const key of path.slice(0, -1)) into = (into[key] ??= {}) as Tree;
    into[path.at(-1)!] = from;
  }
  return out as Partial<M>;
}
