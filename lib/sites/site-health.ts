import { config } from '../config';
import { siteDatabaseEmpty } from '../databases/site-tables';
import { judgeProbe } from '../domain/health';
import { healthCheckPath } from '../domain/platform';
import { probeAnswers, resultOf, type ProbeResult } from './probe';

export interface SiteToProbe {
  id: string;
  host: string;
  /** the platform it runs on (an upgrade's health check: the one it was switched to) */
  platform: { profile: string; healthCheck: string | null };
}

/**
 * A site's health as the sites.health job and an upgrade's health check both judge it: the
 * platform's health path (else `/`) through the front, its redirects followed on the site,
 * and, when the answer would mean "not installed" on an empty database (a sign-in page, an
 * error), whether its database holds any of its tables.
 */
export async function checkSiteHealth(site: SiteToProbe, front: string | undefined): Promise<ProbeResult> {
  const { scheme, timeoutMs } = config().health;
  const seen = await probeAnswers(site.host, { front, scheme, timeoutMs, path: healthCheckPath(site.platform.healthCheck) ?? '/', profile: site.platform.profile });
  let verdict = judgeProbe(seen.facts);
  if (verdict.asksDatabase) verdict = judgeProbe({ ...seen.facts, databaseEmpty: await siteDatabaseEmpty(site.id) });
  return resultOf(seen, verdict);
}
