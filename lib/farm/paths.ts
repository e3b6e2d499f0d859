import path from 'node:path';
import { normalizeHost } from '../domain/host';

/** The farm's folders, as DESIGN.md lays them out under the farm root. */
export function farmPaths(root: string) {
  return {
    root,
    platforms: path.join(root, 'platforms'),
    sites: path.join(root, 'sites'),
    snapshots: path.join(root, 'snapshots'),
    exports: path.join(root, 'exports'),
    trash: path.join(root, 'trash'),
  };
}

/**
 * A site's folder. The host is normalised again and the result checked to sit directly
 * in `sites/`: no input, however crafted, yields a path elsewhere.
 */
export function siteDir(root: string, host: string): string {
  const sites = farmPaths(root).sites;
  const canonical = normalizeHost(host);
  if (canonical !== host) throw new Error(`"${host}" is not a canonical host (expected "${canonical}")`);
  const dir = path.join(sites, canonical);
  if (path.dirname(dir) !== sites) throw new Error(`refusing a site folder outside ${sites}`);
  return dir;
}
