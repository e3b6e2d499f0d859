import fs from 'node:fs';
import path from 'node:path';
import type { Certificate, Platform, Site, SiteAlias } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import { FrontError, tlsFiles, type FrontLayout, type SiteFront, type SiteTls } from '../domain/front';
import { phrase, translatedError } from '../i18n/errors';
import { PROFILES } from '../domain/profiles';
import { siteDir } from '../farm/paths';
import { defaultPhpVersion, installedPhpVersions } from './services';

export type SiteRecord = Site & { platform: Platform; aliases: SiteAlias[]; certificate: Certificate | null };

/** What loads a SiteRecord. */
export const SITE_RECORD_INCLUDE = { platform: true, aliases: { orderBy: { host: 'asc' } }, certificate: true } as const;

/** Statuses the front knows nothing of: not made yet, or gone. */
const UNSERVED = new Set(['provisioning', 'trashed']);

export function isServed(site: Pick<Site, 'status'>): boolean {
  return !UNSERVED.has(site.status);
}

/** The PHP version a platform's sites run, installed on this machine. */
export function platformPhp(platform: Pick<Platform, 'name' | 'phpVersion'>): string {
  const version = platform.phpVersion ?? defaultPhpVersion();
  if (!version) throw translatedError((m) => new FrontError(m), 'serviceErrors.frontNoPhpFpm');
  if (!installedPhpVersions().includes(version)) {
    throw translatedError((m) => new FrontError(m), 'serviceErrors.frontPhpMissing', { platform: platform.name, version, installed: installedPhpVersions().join(', ') || phrase('serviceErrors.noneInstalled') });
  }
  return version;
}

/**
 * A site's certificate as the front serves it: once the registry has one and its files are
 * in place (a registry restored on another machine has rows but no files: the site is then
 * served over plain HTTP until it gets a certificate again).
 */
export function siteTlsOf(layout: FrontLayout, site: Pick<SiteRecord, 'host' | 'certificate'>): SiteTls | undefined {
  if (!site.certificate || !layout.listenTls.length) return undefined;
  const files = tlsFiles(layout, site.host);
  const pem = tlsPem(files.cert, files.key);
  return pem ? { pem, hsts: site.certificate.hsts } : undefined;
}

/** The chain then the key, as nginx loads them for a handshake; null when either file is missing. */
export function tlsPem(certFile: string, keyFile: string): string | null {
  try {
    return `${fs.readFileSync(certFile, 'utf8').trim()}\n${fs.readFileSync(keyFile, 'utf8').trim()}\n`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** What the front serves for a registered site (its Unix user known). */
export function siteFrontOf(site: SiteRecord, unixUser: string, layout?: FrontLayout): SiteFront {
  const profile = PROFILES[site.platform.profile];
  const dir = siteDir(config().farmRoot, site.host);
  const state = site.status === 'moved' ? 'moved' : site.status === 'disabled' || site.status === 'failed' ? 'closed' : 'serve';
  return {
    host: site.host,
    state,
    aliases: site.aliases.map((a) => ({ host: a.host, serve: !a.redirect })),
    movedTo: site.redirectTo ?? undefined,
    profile: profile.name,
    codePath: path.resolve(site.platform.codePath),
    phpVersion: platformPhp(site.platform),
    unixUser,
    siteDir: path.resolve(dir),
    connectionFile: path.resolve(dir, profile.configFile),
    publicFolders: profile.public,
    tmpFolder: profile.usage.tmp,
    tls: layout ? siteTlsOf(layout, site) : undefined,
  };
}

export function loadSiteRecord(host: string): Promise<SiteRecord | null> {
  return db.site.findUnique({ where: { host }, include: SITE_RECORD_INCLUDE });
}
