import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import type AcmeClient from 'acme-client';
import { Prisma } from '@prisma/client';
import { config } from '../config';
import { open, seal } from '../crypto/secret-box';
import { db } from '../db/client';
import type { Translation } from '../domain/errors';
import { formatWorkerLine } from '../domain/job-log-lines';
import { phrase, translatedError } from '../i18n/errors';

/**
 * Mutu's ACME client (acme-client, RFC 8555): the farm's one account, created once with a
 * key kept sealed in the registry, and the HTTP-01 flow for a list of names, whose tokens
 * the front serves (lib/tls/challenges).
 */

type Acme = typeof AcmeClient;

/**
 * acme-client, loaded when a certificate is asked for: with its crypto libraries it is some
 * 300 modules, which every `mutu` command and worker start would load otherwise (most never
 * speak to a CA).
 */
const loadAcme = async (): Promise<Acme> => (await import('acme-client')).default;

/** How long one request to the CA may take before the job fails with it (a CA that answers slowly). */
const REQUEST_TIMEOUT_MS = 30_000;

export class AcmeError extends Error {
  translation?: Translation;

  constructor(message: string) {
    super(message);
    this.name = 'AcmeError';
  }
}

export function acmeSettings() {
  const { directory, email, caFile } = config().acme;
  if (!directory) throw translatedError((m) => new AcmeError(m), 'serviceErrors.acmeNoDirectory');
  return { directory, email, caFile };
}

/**
 * Requests to the directory trust the system's CAs and, when MUTU_ACME_CA_FILE is set, that
 * file's too (a test CA such as pebble's). This touches acme-client's own HTTP client only:
 * nothing else of Mutu trusts that file, and no check is ever turned off.
 */
function configureTransport(acme: Acme, caFile: string | undefined): void {
  let ca: string[] | undefined;
  if (caFile) {
    try {
      ca = [...tls.rootCertificates, fs.readFileSync(caFile, 'utf8')];
    } catch (err) {
      throw translatedError((m) => new AcmeError(m), 'serviceErrors.acmeCaFileUnreadable', { file: caFile, reason: (err as Error).message });
    }
  }
  acme.axios.defaults.httpsAgent = new https.Agent({ ca, keepAlive: true });
  acme.axios.defaults.timeout = REQUEST_TIMEOUT_MS;
  // acme-client retries a failed request 5 times, 5 s apart and more: a CA that is down
  // would hold the job for minutes. Twice, then the job fails with the CA's words.
  const settings = (acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number; retryDefaultDelay: number } }).acmeSettings;
  settings.retryMaxAttempts = 2;
  settings.retryDefaultDelay = 1;
}

/** The registry setting holding the farm's ACME account for a directory (its key sealed, its URL). */
export const accountSetting = (directory: string) => `tls.acme.account ${directory}`;

interface StoredAccount {
  key: string;
  url?: string;
}

/** The farm's account key for a directory: made once, sealed with the secret key; two processes racing keep the first. */
async function accountKey(acme: Acme, directory: string): Promise<StoredAccount & { pem: string }> {
  const key = accountSetting(directory);
  const found = await db.setting.findUnique({ where: { key } });
  if (found) {
    const stored = JSON.parse(found.value) as StoredAccount;
    return { ...stored, pem: open(config().secretKey, stored.key) };
  }
  const pem = (await acme.crypto.createPrivateEcdsaKey()).toString();
  const stored: StoredAccount = { key: seal(config().secretKey, pem) };
  try {
    await db.setting.create({ data: { key, value: JSON.stringify(stored) } });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return accountKey(acme, directory);
    throw err;
  }
  return { ...stored, pem };
}

/** An ACME client on the farm's account, registered with the CA (once: the CA answers the same account for the same key). */
async function accountClient(acme: Acme, log: (m: string) => Promise<void>) {
  const { directory, email, caFile } = acmeSettings();
  configureTransport(acme, caFile);
  const account = await accountKey(acme, directory);
  const client = new acme.Client({ directoryUrl: directory, accountKey: account.pem, accountUrl: account.url, backoffMin: 500, backoffMax: 5000, backoffAttempts: 12 });
  if (!account.url) {
    await client.createAccount({ termsOfServiceAgreed: true, ...(email ? { contact: [`mailto:${email}`] } : {}) });
    const url = client.getAccountUrl();
    const setting = await db.setting.findUniqueOrThrow({ where: { key: accountSetting(directory) } });
    await db.setting.update({ where: { key: setting.key }, data: { value: JSON.stringify({ ...(JSON.parse(setting.value) as StoredAccount), url }) } });
    await log(email ? formatWorkerLine('acmeAccountContact', { ca: new URL(directory).host, email }) : formatWorkerLine('acmeAccount', { ca: new URL(directory).host }));
  }
  return { client, directory, email };
}

export interface ChallengeHooks {
  /** puts the answer where the front serves it for `http://<name>/.well-known/acme-challenge/<token>` */
  answer(token: string, keyAuthorization: string): Promise<void>;
  forget(token: string): Promise<void>;
  log(message: string): Promise<void>;
}

/**
 * A new key and a certificate for `names` (the first is the subject) from the farm's CA,
 * each name proved by HTTP-01. Returns the chain (leaf first) and the key, both PEM. A
 * refusal of the CA (a challenge it could not reach, a name it will not sign) is thrown with
 * its own words.
 */
export async function obtainCertificate(names: string[], hooks: ChallengeHooks): Promise<{ fullchain: string; key: string }> {
  let where: string | undefined;
  try {
    const acme = await loadAcme();
    const { client, directory, email } = await accountClient(acme, hooks.log);
    const ca = new URL(directory).host;
    where = ca;
    const key = await acme.crypto.createPrivateEcdsaKey('P-256');
    // A CN is at most 64 characters; the names are in the subjectAltName anyway.
    const [, csr] = await acme.crypto.createCsr({ commonName: names[0]!.length <= 64 ? names[0] : undefined, altNames: names }, key);
    await hooks.log(formatWorkerLine('acmeAsking', { ca, names: names.join(', ') }));
    const fullchain = await client.auto({
      csr,
      email,
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      // The CA checks the answer itself; a check from here would resolve the names through
      // this machine's DNS, which need not lead to this front.
      skipChallengeVerification: true,
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        await hooks.answer(challenge.token, keyAuthorization);
        await hooks.log(formatWorkerLine('acmeChallenge', { ca, name: authz.identifier.value }));
      },
      challengeRemoveFn: async (_authz, challenge) => hooks.forget(challenge.token),
    });
    return { fullchain: fullchain.toString(), key: key.toString() };
  } catch (err) {
    if (err instanceof AcmeError) throw err;
    // Mutu's part in the reader's language; the CA's own words as it said them.
    throw translatedError((m) => new AcmeError(m), 'serviceErrors.acmeNotIssued', { ca: where ?? phrase('serviceErrors.acmeTheDirectory'), reason: acmeMessage(err) });
  }
}

/** The CA's own words when it gave them (an ACME problem document), else the error's. */
function acmeMessage(err: unknown): string {
  const e = err as { response?: { data?: { detail?: string; type?: string } }; code?: string; message?: string };
  const detail = e.response?.data?.detail;
  if (detail) return `${detail}${e.response?.data?.type ? ` (${e.response.data.type})` : ''}`;
  if (e.code === 'ECONNABORTED' || /timeout/i.test(e.message ?? '')) return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s (${e.message})`;
  return e.message ?? String(err);
}
