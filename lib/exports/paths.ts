import path from 'node:path';
import { config } from '../config';
import { farmPaths, siteDir } from '../farm/paths';

/** `exports/<host>/`: all of a site's exports. The host is checked as siteDir checks it. */
export function siteExportsFolder(host: string): string {
  siteDir(config().farmRoot, host); // throws on a host that is not canonical
  return path.join(farmPaths(config().farmRoot).exports, host);
}

/** `exports/<host>/<exportId>/`, refusing an id that could name anything else. */
export function exportFolder(host: string, exportId: string): string {
  if (!/^[a-z0-9]{8,40}$/.test(exportId)) throw new Error(`not an export id: ${exportId}`);
  return path.join(siteExportsFolder(host), exportId);
}
