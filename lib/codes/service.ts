import crypto from 'node:crypto';
import { translatedError } from '../i18n/errors';
import { config } from '../config';
import { deriveKey } from '../crypto/keys';
import { db } from '../db/client';
import { MutuError } from '../domain/errors';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { createCodeSchema, parseCode, type CreateCodeInput } from '../domain/code';
import { matchesPattern } from '../domain/pattern';
import { defaultPlatform, resolvePlatform } from '../platforms/service';
import { serverForNewSite } from '../databases';

const LOOKUP_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function codeHash(secret: string): string {
  return crypto.createHmac('sha256', deriveKey(config().secretKey, 'activation-code')).update(secret).digest('hex');
}

function randomLookup(): string {
  return Array.from(crypto.randomBytes(10), (b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join('');
}

/**
 * Creates a code and returns it in clear, the only time it exists outside the holder's hands.
 * Refused when no server suits the application of the code's platform (the farm's default
 * platform when it names none): its sites go to the server that platform follows (see
 * serverForNewSite), and a visitor must never hold a code that can only fail.
 */
export async function createCode(actor: Actor, input: CreateCodeInput) {
  const data = createCodeSchema.parse(input);
  const platform = data.platform ? await resolvePlatform(data.platform) : null;
  const server = await serverForNewSite((platform ?? (await defaultPlatform())).profile);
  const lookup = randomLookup();
  const secret = crypto.randomBytes(24).toString('base64url');
  const row = await db.activationCode.create({
    data: {
      lookup,
      codeHash: codeHash(secret),
      label: data.label,
      maxUses: data.uses,
      expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      hostPattern: data.hostPattern ?? null,
      platformId: platform?.id ?? null,
      createdById: actor.userId ?? null,
    },
  });
  await recordAudit(actor, { action: 'code.create', details: { id: row.id, label: row.label, uses: row.maxUses, expiresAt: row.expiresAt, hostPattern: row.hostPattern, platform: platform?.name } });
  return { code: `mutu-${lookup}-${secret}`, row, server };
}

export async function listCodes() {
  const rows = await db.activationCode.findMany({ orderBy: { createdAt: 'desc' }, include: { platform: { select: { name: true } } } });
  const now = new Date();
  return rows.map(({ codeHash: _hash, platform, ...r }) => ({
    ...r,
    platform: platform?.name ?? null,
    state: r.revokedAt ? 'revoked' : r.expiresAt && r.expiresAt <= now ? 'expired' : r.uses >= r.maxUses ? 'used up' : 'valid',
  }));
}

/** Revocation is immediate: the next attempt with the code fails like any wrong code. */
export async function revokeCode(actor: Actor, idOrLookup: string) {
  const row = await db.activationCode.findFirst({ where: { OR: [{ id: idOrLookup }, { lookup: idOrLookup }] } });
  if (!row) throw translatedError((m) => new MutuError(m, 404), 'serviceErrors.codeUnknown', { id: idOrLookup });
  if (!row.revokedAt) await db.activationCode.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  await recordAudit(actor, { action: 'code.revoke', details: { id: row.id, label: row.label } });
  return row;
}

export type CodeCheck<R> = { ok: true; row: R } | { ok: false; /** set only when the code itself is right and usable: its holder may see it */ hostPattern?: string };

/**
 * Checks a code for a host. The secret is compared in constant time. A wrong, expired,
 * used-up or revoked code is refused without a reason, so a visitor learns nothing; a right
 * and usable code whose host pattern refuses the host says so with its pattern, which its
 * holder may know. The use itself is taken atomically when the site is reserved.
 */
export async function checkCodeFor(text: string, host: string) {
  const parsed = parseCode(text);
  const row = parsed ? await db.activationCode.findUnique({ where: { lookup: parsed.lookup }, include: { platform: true } }) : null;
  const expected = Buffer.from(row?.codeHash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(codeHash(parsed?.secret ?? 'no secret'), 'hex');
  const secretOk = crypto.timingSafeEqual(expected, actual) && !!row;
  const refused: CodeCheck<NonNullable<typeof row>> = { ok: false };
  if (!row || !secretOk) return refused;
  if (row.revokedAt || row.uses >= row.maxUses || (row.expiresAt && row.expiresAt <= new Date())) return refused;
  if (row.hostPattern && !matchesPattern(host, row.hostPattern)) return { ok: false, hostPattern: row.hostPattern } as typeof refused;
  return { ok: true, row } as CodeCheck<typeof row>;
}

/** The code's row when the code is right, usable now and allows this host; otherwise null, whatever the reason. */
export async function checkCode(text: string, host: string) {
  const checked = await checkCodeFor(text, host);
  return checked.ok ? checked.row : null;
}
