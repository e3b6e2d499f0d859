import path from 'node:path';
import type { FrontLayout } from './front';

/**
 * The `files` lookup: nginx finds a request's site by reading one small file per host,
 * `<nginxDir>/hosts/<host>`, from a njs script (Debian's libnginx-mod-http-js) that sets
 * `$mutu_site` once per request. The file holds exactly what a map line's value would
 * (`state|site|code|socket|target|profile|folders[|tls]`), so the rest of farm.conf is the same
 * in both shapes. A site's change then writes its hosts' files and needs neither `nginx -t` nor
 * a reload: at 10,000 sites a reload alone costs nginx's master 300 to 370 ms of CPU (it parses
 * every map line), the goal for a whole change. The price is a file read per request
 * (bench/README.md, "front"). Pure: the callers write the files.
 */

/** What njs accepts as a host: lower-case labels of letters, digits and inner dashes (no `/`, no `..`, no `%`). */
export const LOOKUP_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export const hostsDir = (layout: FrontLayout) => path.join(layout.nginxDir, 'hosts');
/** The hosts a site's last change wrote (its own and its aliases'): a removed alias's file is found here. */
export const siteHostsDir = (layout: FrontLayout) => path.join(layout.nginxDir, 'site-hosts');
export const lookupScriptFile = (layout: FrontLayout) => path.join(layout.nginxDir, 'mutu.js');

function checkedHost(host: string): string {
  if (host.length > 253 || !LOOKUP_HOST.test(host)) throw new Error(`"${host.replace(/[^\x20-\x7e]/g, '?')}" is not a host name`);
  return host;
}

export const hostFile = (layout: FrontLayout, host: string) => path.join(hostsDir(layout), checkedHost(host));
export const siteHostsFile = (layout: FrontLayout, host: string) => path.join(siteHostsDir(layout), checkedHost(host));

/** Files nginx never parses (njs reads them per request; Mutu's list of a site's hosts): no check, no reload. */
export function isLookupFile(layout: FrontLayout, file: string): boolean {
  return [hostsDir(layout), siteHostsDir(layout)].some((d) => path.dirname(file) === d);
}

/** A host file's text: the value, one line. */
export const renderHostFile = (value: string) => `${value}\n`;

/** The hosts a site-hosts file names (empty for none). */
export function parseSiteHosts(text: string | null): string[] {
  return (text ?? '').split('\n').filter((l) => LOOKUP_HOST.test(l));
}

export const renderSiteHosts = (site: string, hosts: string[]) => `# ${site}: its hosts' files in ../hosts, written by Mutu; changes are overwritten.\n${hosts.join('\n')}\n`;

/** The site a host file's value routes to (its second field), as written by siteLookupEntries. */
export const lookupSiteOf = (text: string | null) => text?.split('|')[1];

/**
 * The njs script: the request's host (nginx's `$host`: lower-cased, without port) checked
 * again here, whatever nginx already refuses, then its file's first line; "" (the neutral 404)
 * for any other host, no file, or anything unexpected. Printable ASCII only in what it returns.
 */
export function renderLookupScript(layout: FrontLayout): string {
  return `// Mutu's front: the site of a request's host, from ${hostsDir(layout)}/<host>.
// Written by \`mutu front setup\` and \`mutu front sync\`; changes are overwritten.
var fs = require('fs');
var DIR = ${JSON.stringify(hostsDir(layout) + '/')};
var HOST = ${LOOKUP_HOST.toString()};
var VALUE = /^[\\x21-\\x7e]+$/;

function site(r) {
    var host = r.variables.host || '';
    if (host.length > 253 || !HOST.test(host)) return '';
    var text;
    try {
        text = fs.readFileSync(DIR + host, 'utf8');
    } catch (e) {
        return '';
    }
    var end = text.indexOf('\\n');
    var value = end < 0 ? text : text.slice(0, end);
    return VALUE.test(value) ? value : '';
}

export default { site: site };
`;
}

/** farm.conf's lines that set $mutu_site (instead of the map's). */
export function renderFilesLookup(layout: FrontLayout): string {
  return `# A request's site: its host's file, read by ${lookupScriptFile(layout)} (nginx's js module). A site's
# change writes its hosts' files: no nginx -t, no reload.
js_import mutu_lookup from ${lookupScriptFile(layout)};
js_set $mutu_site mutu_lookup.site;`;
}

/** Whether a farm.conf's text uses the files lookup. */
export const farmConfLookup = (text: string | null): FrontLookupOnDisk => (text === null ? null : /^js_set \$mutu_site /m.test(text) ? 'files' : 'map');
export type FrontLookupOnDisk = 'files' | 'map' | null;
