import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { tlsFiles, type FrontLayout, type SiteTls } from '../domain/front';
import { needRoot } from '../front/apply';
import type { FileChange } from '../front/changes';
import { siteFiles } from '../front/files';
import { writeCheckReload } from '../front/transaction';
import { withFrontLock } from '../front/lock';
import { frontIsSetUp, frontLayout } from '../front/settings';
import { isServed, loadSiteRecord, siteFrontOf, tlsPem, type SiteRecord } from '../front/site-front';
import type { Translation } from '../domain/errors';
import { phrase, phrasedError } from '../i18n/errors';
import { SiteError } from '../sites/errors';

/**
 * A site's certificate and key in place, served: written beside then renamed (0600, root's),
 * with what the farm's HTTPS server reads of them and the site's map lines, checked by
 * nginx -t, then a graceful reload.
 * A failed check puts every file back: the site keeps serving what it served (its previous
 * certificate, or plain HTTP). The certificate served until now is kept aside (`.prev`) until
 * the registry records the new one, so a job undone later can put it back.
 */

const PRIVATE = 0o600;
const prev = (file: string) => `${file}.prev`;

/** Why the front cannot serve HTTPS for this site now, or null. */
export function tlsUnavailable(site: Pick<SiteRecord, 'host' | 'status' | 'unixUser'> | null, host: string): Translation | null {
  if (!frontIsSetUp()) return phrase('serviceErrors.tlsNoFront');
  if (!frontLayout().listenTls.length) return phrase('serviceErrors.tlsOff');
  if (!site) return phrase('serviceErrors.tlsNoSite', { host });
  if (!isServed(site)) return phrase('serviceErrors.tlsNotServed', { host: site.host, status: site.status });
  if (!site.unixUser) return phrase('serviceErrors.tlsNotYetServed', { host: site.host });
  return null;
}

/** A site the front cannot give a certificate to, said in the reader's language where a page shows it. */
export const tlsUnavailableError = (why: Translation) => phrasedError((m) => new SiteError(m, 409), why);

async function servedSite(host: string): Promise<SiteRecord> {
  const site = await loadSiteRecord(host);
  const why = tlsUnavailable(site, host);
  if (why) throw tlsUnavailableError(why);
  return site!;
}

/** The site's files as the front serves them with `tls` (or without any certificate). */
function siteChanges(layout: FrontLayout, site: SiteRecord, tls: SiteTls | null): FileChange[] {
  const front = siteFrontOf(site, site.unixUser!, layout);
  front.tls = tls ?? undefined;
  return siteFiles(layout, site.host, front, site.unixUser);
}

const apply = (layout: FrontLayout, changes: FileChange[]) => writeCheckReload(layout, changes);

export async function installCertificate(host: string, pem: { fullchain: string; key: string }) {
  needRoot();
  const layout = frontLayout();
  return withFrontLock(layout.nginxDir, async () => {
    const site = await servedSite(host);
    const files = tlsFiles(layout, host);
    fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    // Kept aside once: a retried install keeps the certificate served before the first try.
    if (fs.existsSync(files.cert) && fs.existsSync(files.key) && !fs.existsSync(prev(files.key))) {
      fs.copyFileSync(files.cert, prev(files.cert));
      fs.copyFileSync(files.key, prev(files.key));
      fs.chmodSync(prev(files.key), PRIVATE);
    }
    const tls: SiteTls = { pem: `${pem.fullchain.trim()}\n${pem.key.trim()}\n`, hsts: site.certificate?.hsts ?? false };
    return apply(layout, [{ file: files.cert, content: pem.fullchain, mode: PRIVATE }, { file: files.key, content: pem.key, mode: PRIVATE }, ...siteChanges(layout, site, tls)]);
  });
}

/**
 * Makes the front serve again what the registry records: nothing to do when it already does
 * (the new certificate was recorded, or another job's since); else the certificate kept aside
 * by installCertificate, or none at all (plain HTTP) when the registry has none. Idempotent.
 */
export async function restorePreviousCertificate(host: string) {
  if (!frontIsSetUp()) return { changed: [], reloaded: [] };
  needRoot();
  const layout = frontLayout();
  return withFrontLock(layout.nginxDir, async () => {
    const files = tlsFiles(layout, host);
    const site = await loadSiteRecord(host);
    const nothing = { changed: [] as string[], reloaded: [] as string[] };
    if (!site || !site.unixUser || !isServed(site) || !fs.existsSync(files.dir)) return nothing;
    const recorded = site.certificate?.fingerprint;
    let changes: FileChange[] | null = null;
    if (recorded && fingerprintOf(files.cert) === recorded) changes = null;
    else if (fs.existsSync(prev(files.key))) {
      const tls: SiteTls = { pem: tlsPem(prev(files.cert), prev(files.key))!, hsts: site.certificate?.hsts ?? false };
      changes = [
        { file: files.cert, content: fs.readFileSync(prev(files.cert), 'utf8'), mode: PRIVATE },
        { file: files.key, content: fs.readFileSync(prev(files.key), 'utf8'), mode: PRIVATE },
        ...siteChanges(layout, site, tls),
      ];
    } else if (!recorded) {
      changes = [...siteChanges(layout, site, null), { file: files.cert, content: null }, { file: files.key, content: null }];
    }
    const done = changes ? await apply(layout, changes) : nothing;
    forgetPreviousCertificate(layout, host);
    return done;
  });
}

function fingerprintOf(file: string): string | null {
  try {
    return new X509Certificate(fs.readFileSync(file)).fingerprint256;
  } catch {
    return null;
  }
}

/** The new certificate is recorded: the one it replaced is no longer needed. */
export function forgetPreviousCertificate(layout: FrontLayout, host: string): void {
  const files = tlsFiles(layout, host);
  fs.rmSync(prev(files.cert), { force: true });
  fs.rmSync(prev(files.key), { force: true });
}

/** The certificate the front serves for a site, as a file (null: none). */
export function servedCertificate(host: string): string | null {
  try {
    return fs.readFileSync(tlsFiles(frontLayout(), host).cert, 'utf8');
  } catch {
    return null;
  }
}
