import fs from 'node:fs';
import path from 'node:path';
import { Prisma, type ProfileName } from '@prisma/client';
import { config } from '../config';
import { db } from '../db/client';
import { modelRowsNow } from '../db/model-rows';
import { upsertRacing } from '../db/race';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { addPlatformSchema, setPlatformSchema, type AddPlatformInput, type SetPlatformInput } from '../domain/platform';
import { farmPaths } from '../farm/paths';
import { phrase, reasonOf, translatedError, type ServiceErrorKey } from '../i18n/errors';
import { MutuError } from '../domain/errors';
import { parseCommandTemplate, TemplateError } from './command-template';
import { installedPhpVersions } from '../front/services';
import { COMMAND_FIELDS, PRESETS, type CommandField } from '../domain/platform-presets';
import sql from 'sql-template-tag';

export class PlatformError extends MutuError {}

export const DEFAULT_PLATFORM = 'generic';

/**
 * Registers an installed code release. Its folder must exist: a typo is caught now, not at
 * the first upgrade. A release its profile has a preset for (SPIP) gets the preset's
 * commands and health path for every field the admin left out.
 */
export async function addPlatform(actor: Actor, input: AddPlatformInput) {
  const data = addPlatformSchema.parse(input);
  const codePath = path.resolve(data.path);
  if (!fs.existsSync(codePath) || !fs.statSync(codePath).isDirectory()) {
    throw translatedError((m) => new PlatformError(m), 'serviceErrors.platformNotFolder', { path: codePath });
  }
  const preset = PRESETS[data.profile];
  const presetApplies = !!preset && fs.existsSync(path.join(codePath, preset.marker));
  const withPreset = presetApplies ? { ...Object.fromEntries(Object.entries(preset).filter(([k]) => k !== 'marker')), ...definedOnly(data) } : data;
  const settings = platformSettings(withPreset);
  if (data.php) checkPhpInstalled(data.php);
  try {
    const platform = await db.platform.create({
      data: { name: data.name, profile: data.profile, codePath, version: data.version, phpVersion: data.php ?? null, ...registrySettings(settings) },
    });
    await recordAudit(actor, { action: 'platform.add', details: { name: platform.name, profile: platform.profile, version: platform.version, path: codePath, php: platform.phpVersion, preset: presetApplies, ...auditedSettings(settings) } });
    return { ...platform, presetApplied: presetApplies };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw translatedError((m) => new PlatformError(m), 'serviceErrors.platformExists', { name: data.name });
    }
    throw err;
  }
}

const definedOnly = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const COMMAND_NAMES: Record<CommandField, ServiceErrorKey> = {
  upgradeCommand: 'serviceErrors.commandUpgrade',
  installCommand: 'serviceErrors.commandInstall',
  purgeCommand: 'serviceErrors.commandPurge',
  postImportCommand: 'serviceErrors.commandPostImport',
};

type SettingsInput = Partial<Record<CommandField, string>> & { healthCheck?: string; eol?: string };
type Settings = Partial<Record<CommandField, string[] | null>> & { healthCheck?: { path: string } | null; eolDate?: Date | null };

/**
 * The commands, health check and end of life as the registry keeps them: each command as an
 * argument array, checked now so a typo is caught at registration rather than when it
 * runs. `undefined` leaves a field as it is; "" or "none" clears it.
 */
function platformSettings(input: SettingsInput): Settings {
  const cleared = (v: string | undefined) => v === '' || v === 'none';
  const out: Settings = {};
  for (const field of COMMAND_FIELDS) {
    const line = input[field];
    if (line === undefined) continue;
    try {
      out[field] = cleared(line) ? null : parseCommandTemplate(line);
    } catch (err) {
      if (err instanceof TemplateError) throw translatedError((m) => new PlatformError(m, 422), 'serviceErrors.templateInCommand', { command: phrase(COMMAND_NAMES[field]), reason: reasonOf(err) });
      throw err;
    }
  }
  if (input.healthCheck !== undefined) out.healthCheck = cleared(input.healthCheck) ? null : { path: input.healthCheck };
  if (input.eol !== undefined) out.eolDate = cleared(input.eol) ? null : new Date(`${input.eol}T00:00:00Z`);
  return out;
}

/** The settings as Prisma writes them: a cleared command or health check is SQL's NULL. */
function registrySettings(s: Settings) {
  const json = (v: Prisma.InputJsonValue | null | undefined) => (v === null ? Prisma.DbNull : v);
  return {
    ...Object.fromEntries(COMMAND_FIELDS.filter((f) => s[f] !== undefined).map((f) => [f, json(s[f])])),
    ...(s.healthCheck !== undefined ? { healthCheck: json(s.healthCheck) } : {}),
    ...(s.eolDate !== undefined ? { eolDate: s.eolDate } : {}),
  };
}

function auditedSettings(s: Settings) {
  const commands = Object.fromEntries(COMMAND_FIELDS.filter((f) => s[f] !== undefined).map((f) => [f, s[f]]));
  return {
    ...commands,
    ...(s.healthCheck !== undefined ? { healthCheck: s.healthCheck ? s.healthCheck.path : null } : {}),
    ...(s.eolDate !== undefined ? { eol: s.eolDate ? s.eolDate.toISOString().slice(0, 10) : null } : {}),
  };
}

/** A PHP version Mutu's front can run: its PHP-FPM must be installed here. */
function checkPhpInstalled(version: string): void {
  const installed = installedPhpVersions();
  if (!installed.includes(version)) {
    throw installed.length
      ? translatedError((m) => new PlatformError(m, 422), 'serviceErrors.phpMissing', { version, installed: installed.join(', ') })
      : translatedError((m) => new PlatformError(m, 422), 'serviceErrors.phpMissingNone', { version });
  }
}

/**
 * A platform's PHP version changes only while no site runs on it: sites move to another PHP
 * version the way they move to another release, by an upgrade to a platform that runs it
 * (with its snapshot, health check and rollback).
 */
async function phpChange(platform: { id: string; name: string; phpVersion: string | null }, php: string | undefined) {
  if (php === undefined) return {};
  const next = php === 'default' ? null : php;
  if (next === platform.phpVersion) return {};
  if (next) checkPhpInstalled(next);
  const sites = await db.site.count({ where: { platformId: platform.id } });
  if (sites) throw translatedError((m) => new PlatformError(m, 409), 'serviceErrors.platformPhpInUse', { name: platform.name, count: sites, php });
  return { phpVersion: next };
}

async function platformNamed(name: string) {
  const platform = await db.platform.findUnique({ where: { name } });
  if (!platform) throw translatedError((m) => new PlatformError(m, 404), 'serviceErrors.platformUnknown', { name });
  return platform;
}

/** Changes a platform's version, upgrade command, health check or end of life. */
export async function setPlatform(actor: Actor, input: SetPlatformInput) {
  const data = setPlatformSchema.parse(input);
  const platform = await platformNamed(data.name);
  const settings = platformSettings(data);
  const others = { ...(data.version !== undefined ? { version: data.version } : {}), ...(await phpChange(platform, data.php)) };
  const changes = { ...settings, ...others };
  if (Object.keys(changes).length === 0) throw new PlatformError('nothing to change: give --upgrade-command, --install-command, --purge-command, --post-import-command, --health-check, --eol, --version or --php', 422);
  const updated = await db.platform.update({ where: { id: platform.id }, data: { ...others, ...registrySettings(settings) } });
  await recordAudit(actor, {
    action: 'platform.set',
    details: { name: platform.name, ...auditedSettings(changes), ...(data.version !== undefined ? { version: data.version } : {}), ...('phpVersion' in changes ? { php: changes.phpVersion } : {}) },
  });
  return updated;
}

/**
 * Retires a platform: it takes no new sites and no upgrades. Refused while a site runs on
 * it, since those sites would be left on a release nobody maintains: upgrade them first.
 */
export async function retirePlatform(actor: Actor, name: string) {
  const platform = await platformNamed(name);
  if (platform.status === 'retired') throw translatedError((m) => new PlatformError(m, 409), 'serviceErrors.platformAlreadyRetired', { name });
  const sites = await db.site.findMany({ where: { platformId: platform.id }, select: { host: true }, take: 4, orderBy: { host: 'asc' } });
  if (sites.length) {
    const count = await db.site.count({ where: { platformId: platform.id } });
    const hosts = sites.slice(0, 3).map((s) => s.host).join(', ');
    throw translatedError((m) => new PlatformError(m, 409), 'serviceErrors.platformInUse', { name, count, hosts, more: Math.max(0, count - 3) });
  }
  const updated = await db.platform.update({ where: { id: platform.id }, data: { status: 'retired', isDefault: false } });
  await recordAudit(actor, { action: 'platform.retire', details: { name } });
  return updated;
}

export async function listPlatforms() {
  const rows = await db.platform.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { sites: true } } } });
  return rows.map(({ _count, ...p }) => ({ ...p, sites: _count.sites }));
}

/**
 * Active platforms, for forms that choose one: `adoptOrder` lists them in the order adoption
 * picks a default (the default one, else the oldest); otherwise by name.
 */
export async function activePlatforms(opts: { profile?: ProfileName; except?: string; adoptOrder?: boolean } = {}) {
  return db.platform.findMany({
    where: { status: 'active', ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.except ? { NOT: { id: opts.except } } : {}) },
    orderBy: opts.adoptOrder ? [{ isDefault: 'desc' }, { createdAt: 'asc' }] : { name: 'asc' },
  });
}

/** The platform new sites get when none is chosen; a farm without any gets a generic one. */
export async function defaultPlatform() {
  const chosen = (await db.platform.findFirst({ where: { isDefault: true, status: 'active' } })) ??
    (await db.platform.findFirst({ where: { status: 'active' }, orderBy: { createdAt: 'asc' } }));
  if (chosen) return chosen;
  const codePath = path.join(farmPaths(config().farmRoot).platforms, DEFAULT_PLATFORM);
  fs.mkdirSync(codePath, { recursive: true, mode: config().modes.folder });
  return upsertRacing(
    () => db.platform.upsert({ where: { name: DEFAULT_PLATFORM }, create: { name: DEFAULT_PLATFORM, profile: 'generic', codePath, isDefault: true }, update: {} }),
    () => db.platform.findUniqueOrThrow({ where: { name: DEFAULT_PLATFORM } }),
  );
}

/** A platform by name, or the default one; retired platforms take no new sites. */
export async function resolvePlatform(name?: string) {
  if (!name) return defaultPlatform();
  // Raw (modelRowsNow): every site request reads it, and a model query's compile costs more CPU than the statement.
  const [platform] = await modelRowsNow('Platform', sql`SELECT * FROM "Platform" WHERE "name" = ${name}`);
  if (!platform) throw translatedError((m) => new PlatformError(m), 'serviceErrors.platformUnknown', { name });
  if (platform.status !== 'active') throw translatedError((m) => new PlatformError(m), 'serviceErrors.platformRetired', { name });
  return platform;
}
