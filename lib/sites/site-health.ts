import type { Certificate, Prisma } from '@prisma/client';
import { config } from '../config';
import { frontLayout, frontProbeAddress } from '../front/settings';
import { siteTlsOf } from '../front/site-front';
import { siteDatabaseEmpty } from '../databases/site-tables';
import { judgeProbe } from '../domain/health';
import { healthCheckPath } from '../domain/platform';
import { probeAnswers, resultOf, type ProbeResult } from './probe';

export interface SiteToProbe {
  id: string;
  host: string;
  /** the platform it runs on (an upgrade's health check: the one it was switched to) */
  platform: { profile: string; healthCheck: Prisma.JsonValue };
  /** its certificate, when it has one: probed over HTTPS */
  certificate?: Certificate | null;
}

/**
 * Where and how a site is probed: through Mutu's front, a site with a certificate answers
 * plain HTTP with a redirect to HTTPS (which says nothing of its PHP), so it is probed at the
 * front's HTTPS address, pinned to the certificate installed. A front of the admin's own
 * (MUTU_HEALTH_FRONT) is probed as configured.
 */
function probeWay(site: SiteToProbe, front: string | undefined) {
  const { scheme, timeoutMs } = config().health;
  const tlsFront = !config().health.front && site.certificate && siteTlsOf(frontLayout(), { host: site.host, certificate: site.certificate }) ? frontProbeAddress({ tls: true }) : undefined;
  if (tlsFront) return { front: tlsFront, scheme: 'https' as const, timeoutMs, pin: site.certificate!.fingerprint };
  return { front, scheme, timeoutMs };
}

/**
 * A site's health as the sites.health job and an upgrade's health check both judge it: the
 * platform's health path (else `/`) through the front, its redirects followed on the site,
 * and, when the answer would mean "not installed" on an empty database (a sign-in page, an
 * error), whether its database holds any of its tables.
 */
export async function checkSiteHealth(site: SiteToProbe, front: string | undefined): Promise<ProbeResult> {
  const seen = await probeAnswers(site.host, { ...probeWay(site, front), path: healthCheckPath(site.platform.healthCheck) ?? '/', profile: site.platform.profile });
  let verdict = judgeProbe(seen.facts);
  if (verdict.asksDatabase) verdict = judgeProbe({ ...seen.facts, databaseEmpty: await siteDatabaseEmpty(site.id) });
  return resultOf(seen, verdict);
}
