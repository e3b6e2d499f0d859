import { compareVersions } from './site-list';

export type ReleaseOrder = 'newer' | 'older' | 'same' | 'unknown';

/** Where a platform's release stands against the site's current one; a missing version cannot be placed. */
export function releaseOrder(target: { version: string }, current: { version: string }): ReleaseOrder {
  if (!target.version || !current.version) return 'unknown';
  const d = compareVersions(target.version, current.version);
  return d > 0 ? 'newer' : d < 0 ? 'older' : 'same';
}

/**
 * The platforms an upgrade offers by default (newer releases, and those whose order cannot be
 * told) and those it offers only when asked to go back (older releases, or the same version).
 */
export function splitUpgradeTargets<T extends { version: string }>(targets: T[], current: { version: string }): { forward: T[]; back: T[] } {
  const forward: T[] = [];
  const back: T[] = [];
  for (const t of targets) (['newer', 'unknown'].includes(releaseOrder(t, current)) ? forward : back).push(t);
  const byVersion = (a: T, b: T) => compareVersions(b.version, a.version);
  return { forward: forward.sort(byVersion), back: back.sort(byVersion) };
}
