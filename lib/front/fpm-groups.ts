import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { fpmGroupFileLimit, fpmGroupInstance, fpmGroupName, fpmGroupUnit, renderFpmGroupUnit } from '../domain/fpm-groups';
import type { FileChange } from './changes';
import { fpmVersions } from './files';
import { phpFpmBinary, phpFpmPid, phpFpmPidFile } from './services';
import { fpmGroupCount, fpmGroupFor, fpmGroupsDir, fpmGroupsOf, fpmGroupsPresent, type FpmGroup } from './settings';

/** One PHP-FPM master of the front as it is now: running, its pools, those that belong elsewhere. */
export interface FpmGroupStatus {
  version: string;
  /** g01... for Mutu's groups; "" for a version's own master */
  group: string;
  /** 1 to N; 0 for a version's own master */
  index: number;
  label: string;
  /** one of the masters the setting asks for (not one left from another number of groups) */
  expected: boolean;
  running: boolean;
  pools: number;
  /** pool files that belong to another group (the number of groups changed: `mutu front sync` moves them) */
  misplaced: string[];
  /** what to run about it: how to start it, or that it can be stopped */
  hint?: string;
  /** the command that starts it, when it should run and does not */
  startCommand?: string;
  /** running, but its files changed since it last (re)loaded them (a change interrupted before its reload) */
  reloadPending: boolean;
}

const mtime = (f: string) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/**
 * Whether a running master has not loaded its files as they are: PHP-FPM writes its pid file
 * at each (re)load, and a pool written, renamed or removed changes its folder's mtime. What
 * makes a sync safe to run again after a crash between writing the files and the reload.
 */
export function reloadPending(g: FpmGroup): boolean {
  const loaded = mtime(phpFpmPidFile(g));
  return loaded > 0 && Math.max(mtime(g.pools), mtime(g.conf)) > loaded;
}

const sitePools = (g: FpmGroup) => {
  try {
    return fs.readdirSync(g.pools).filter((f) => /^mutu-.+\.conf$/.test(f) && f !== 'mutu-idle.conf');
  } catch {
    return [];
  }
};

/** The command that starts a master that is not running. */
const startCommand = (g: FpmGroup) => (g.index === 0 ? `systemctl start php${g.version}-fpm` : `systemctl enable --now ${fpmGroupInstance(g.version, g.index)}`);

/** Every PHP-FPM master that holds, or should hold, the farm's pools. Reads only. */
export function fpmGroupsStatus(): FpmGroupStatus[] {
  const out: FpmGroupStatus[] = [];
  for (const v of fpmVersions()) {
    const expected = new Set(fpmGroupsOf(v).map((g) => g.index));
    for (const g of fpmGroupsPresent(v)) {
      const pools = sitePools(g);
      const isExpected = expected.has(g.index);
      // The version's own master when Mutu has groups: Debian's, none of Mutu's business once empty.
      if (!isExpected && g.index === 0 && !pools.length) continue;
      const misplaced = pools.filter((f) => fpmGroupFor(v, f.slice('mutu-'.length, -'.conf'.length)).index !== g.index).map((f) => path.join(g.pools, f));
      const running = !!phpFpmPid(g);
      const pending = running && reloadPending(g);
      let hint: string | undefined;
      if (pending) hint = 'its files changed since it last loaded them: mutu front sync reloads it';
      else if (isExpected && !running) hint = `start it: ${startCommand(g)}${g.index ? ' (mutu front setup wrote its unit)' : ''}`;
      else if (!isExpected && !pools.length && running) hint = `it holds no site's pool now and can be stopped: systemctl disable --now ${fpmGroupInstance(v, g.index)}`;
      else if (!isExpected) hint = 'its pools belong to other groups now: mutu front sync moves them';
      out.push({ version: v, group: g.index ? fpmGroupName(g.index) : '', index: g.index, label: g.label, expected: isExpected, running, pools: pools.length, misplaced, hint, startCommand: isExpected && !running ? startCommand(g) : undefined, reloadPending: pending });
    }
  }
  return out;
}

/** The systemd template unit of each version's groups (none with one group: the version's own unit serves). */
export function groupUnitFiles(sites: number): FileChange[] {
  if (fpmGroupCount() === 1) return [];
  return fpmVersions().map((v) => ({
    file: path.join(config().front.systemdDir, fpmGroupUnit(v)),
    content: renderFpmGroupUnit({ version: v, binary: phpFpmBinary(v), groupsDir: fpmGroupsDir(v), fileLimit: fpmGroupFileLimit(sites, fpmGroupCount()) * 2 }),
  }));
}

/** The commands that start every group of every version, for the admin (setup prints them). */
export function groupStartCommands(): string[] {
  if (fpmGroupCount() === 1) return [];
  return ['systemctl daemon-reload', ...fpmVersions().map((v) => `systemctl enable --now ${fpmGroupsOf(v).map((g) => fpmGroupInstance(v, g.index)).join(' ')}`)];
}
