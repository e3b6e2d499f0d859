import { domainToASCII } from 'node:url';
import type { Translation } from './errors';
import { translatedError, type ServiceErrorKey } from '../i18n/errors';

/** A host the rules refuse; its words come from the `serviceErrors` catalogue, so a page says them in its reader's language. */
export class HostError extends Error {
  translation?: Translation;

  constructor(readonly input: string, message: string) {
    super(message);
    this.name = 'HostError';
  }
}

type HostProblem = ServiceErrorKey extends `serviceErrors.${infer K}` ? (K extends `${'host' | 'alias'}${string}` ? K : never) : never;

/** `"<input>" is not a valid site host: <why>`, the input cut at 80 characters. */
export function hostError(input: string, problem: HostProblem, values: Record<string, string | number> = {}): HostError {
  const shown = input.length > 80 ? input.slice(0, 80) + '…' : input;
  return translatedError((m) => new HostError(input, m), `serviceErrors.${problem}`, { input: shown, ...values });
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
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) throw hostError(input, 'hostControl');
  const raw = input.replace(/^ +| +$/g, '');
  if (!raw) throw hostError(input, 'hostEmpty');
  if (/\s/.test(raw)) throw hostError(input, 'hostSpaces');
  if (/[/\\]/.test(raw) || raw.includes('..')) throw hostError(input, 'hostPath');
  if (raw.startsWith('[') || (raw.match(/:/g)?.length ?? 0) > 1) throw hostError(input, 'hostIp');
  let host = raw;
  const port = /:(\d{1,5})$/.exec(host);
  if (port) host = host.slice(0, port.index);
  if (host.includes(':') || host.includes('@')) throw hostError(input, 'hostColonAt');
  if (host.endsWith('.')) host = host.slice(0, -1);
  const ascii = domainToASCII(host.toLowerCase());
  if (!ascii) throw hostError(input, 'hostNotDomain');
  if (ascii.length > MAX_HOST) throw hostError(input, 'hostTooLong', { max: MAX_HOST });
  const labels = ascii.split('.');
  for (const label of labels) {
    if (!label) throw hostError(input, 'hostEmptyLabel');
    if (label.length > MAX_LABEL) throw hostError(input, 'hostLabelTooLong', { label: label.slice(0, 20), max: MAX_LABEL });
    if (!LABEL.test(label)) throw hostError(input, 'hostLabelChars', { label });
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw hostError(input, 'hostIp');
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
  if (!host.includes('.')) throw hostError(input, 'hostNeedsDomain');
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
