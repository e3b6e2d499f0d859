import { domainToASCII } from 'node:url';

export class HostError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`"${input.length > 80 ? input.slice(0, 80) + '…' : input}" is not a valid site host: ${reason}`);
    this.name = 'HostError';
  }
}

const MAX_HOST = 253;
const MAX_LABEL = 63;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * Turns what a person typed into the canonical host that names a site and its folder:
 * lower case, IDN as punycode, no port, no trailing dot. Anything that is not a DNS
 * name is refused, so the result can never escape `sites/` or smuggle a path.
 */
export function normalizeHost(input: string): string {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) throw new HostError(input, 'it contains control characters');
  const raw = input.replace(/^ +| +$/g, '');
  if (!raw) throw new HostError(input, 'it is empty');
  if (/\s/.test(raw)) throw new HostError(input, 'it contains spaces');
  if (/[/\\]/.test(raw) || raw.includes('..')) throw new HostError(input, 'it contains "/", "\\" or ".."; give a host name, not a path or URL');
  if (raw.startsWith('[') || (raw.match(/:/g)?.length ?? 0) > 1) throw new HostError(input, 'IP addresses are not site hosts');
  let host = raw;
  const port = /:(\d{1,5})$/.exec(host);
  if (port) host = host.slice(0, port.index);
  if (host.includes(':') || host.includes('@')) throw new HostError(input, 'it contains ":" or "@"; give a host name only');
  if (host.endsWith('.')) host = host.slice(0, -1);
  const ascii = domainToASCII(host.toLowerCase());
  if (!ascii) throw new HostError(input, 'it is not a valid (international) domain name');
  if (ascii.length > MAX_HOST) throw new HostError(input, `it is longer than ${MAX_HOST} characters`);
  const labels = ascii.split('.');
  for (const label of labels) {
    if (!label) throw new HostError(input, 'it has an empty label (two dots in a row, or a leading dot)');
    if (label.length > MAX_LABEL) throw new HostError(input, `the label "${label.slice(0, 20)}…" is longer than ${MAX_LABEL} characters`);
    if (!LABEL.test(label)) throw new HostError(input, `the label "${label}" may hold only letters, digits and inner hyphens`);
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw new HostError(input, 'IP addresses are not site hosts');
  return ascii;
}

/**
 * The one `www.` policy: the bare host is the site; `www.<host>` is an alias that
 * redirects to it.
 */
export function siteHosts(input: string): { host: string; wwwAlias: string } {
  const normal = normalizeHost(input);
  const host = normal.startsWith('www.') && normal.split('.').length > 2 ? normal.slice(4) : normal;
  // A farm's sites are served under domains; a bare word would also clash with dashboard paths (/sites/new).
  if (!host.includes('.')) throw new HostError(input, 'a site host needs a domain, such as blog.example.org');
  return { host, wwwAlias: `www.${host}` };
}

/** Whether what a person typed to confirm names this (canonical) host, written in Unicode or in punycode. */
export function confirmsHost(typed: string | undefined, host: string): boolean {
  if (!typed) return false;
  try {
    return normalizeHost(typed) === host;
  } catch {
    return false;
  }
}
