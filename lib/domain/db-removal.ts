import { formatWorkerLine } from './job-log-lines';

/** A site's database as the registry records it, for deciding what destroying the site may drop. */
export interface SiteDbFacts {
  database: string;
  user: string;
  tablePrefix: string;
  /** its tables, by prefix, in a database other sites share */
  shared: boolean;
  /** Mutu made the database (or tables) and the user for this site; false once adopted */
  createdByMutu: boolean;
}

/** Another site, registered or a folder the scan finds, using a database of the same server. */
export interface OtherUse {
  /** for people: "the site x.org", "the folder /farm/sites/y.org (not registered)" */
  who: string;
  database: string;
  user: string;
  tablePrefix: string;
}

export interface RemovalPlan {
  /** the site's prefixed tables in a shared database */
  dropTables: boolean;
  dropDatabase: boolean;
  dropUser: boolean;
  /** each thing left in place and why, for the job's log */
  kept: string[];
}

const names = (uses: OtherUse[]) => {
  const who = [...new Set(uses.map((u) => u.who))];
  return who.length > 3 ? formatWorkerLine('phrasesMore', { list: who.slice(0, 3).join(', '), count: String(who.length - 3) }) : who.join(', ');
};

/** Who else uses a database: a registered site, or a folder the scan found. */
export const otherSite = (host: string) => formatWorkerLine('phraseSite', { host });
export const otherFolder = (dir: string) => formatWorkerLine('phraseFolder', { dir });

/**
 * What destroying a site drops on its database server: only what Mutu made for it (or an
 * adopted site's, when the admin asks), and never what another site uses. The account is
 * dropped only when nothing else holds it: no other site, and no rights or objects of its
 * (`userReach`, from the server) outside the database dropped with it.
 */
export function planDatabaseRemoval(site: SiteDbFacts, others: OtherUse[], opts: { dropAdopted: boolean; userReach: string[] }): RemovalPlan {
  const plan: RemovalPlan = { dropTables: false, dropDatabase: false, dropUser: false, kept: [] };
  const { database, tablePrefix: prefix, user } = site;
  if (!site.createdByMutu && !opts.dropAdopted) {
    const line = site.shared ? (user ? 'keptAdoptedTablesUser' : 'keptAdoptedTables') : user ? 'keptAdoptedDbUser' : 'keptAdoptedDb';
    plan.kept.push(formatWorkerLine(line, { database, prefix, user }));
    return plan;
  }

  const sameData = others.filter((o) => o.database === site.database && (!site.shared || o.tablePrefix === site.tablePrefix));
  if (sameData.length) plan.kept.push(formatWorkerLine(site.shared ? 'keptTablesUsed' : 'keptDbUsed', { database, prefix, others: names(sameData) }));
  else if (site.shared) plan.dropTables = true;
  else plan.dropDatabase = true;

  if (site.user) {
    const sameUser = others.filter((o) => o.user === site.user);
    const elsewhere = opts.userReach.filter((d) => !(plan.dropDatabase && d === site.database));
    if (sameUser.length) plan.kept.push(formatWorkerLine('keptUserUsed', { user, others: names(sameUser) }));
    else if (elsewhere.length) plan.kept.push(formatWorkerLine('keptUserReach', { user, places: elsewhere.map((d) => (d === '*' ? formatWorkerLine('phraseWholeServer') : d)).join(', ') }));
    else plan.dropUser = true;
  }
  return plan;
}
