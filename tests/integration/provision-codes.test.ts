import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { adminActor, randomHost, randomPart, useProvisioning, waitForJob } from '../helpers/provision';
import { db } from '@/lib/db/client';
import { verifyPassword } from '@/lib/auth/password';
import { checkCode, createCode, listCodes, revokeCode } from '@/lib/codes/service';
import { SiteError } from '@/lib/sites/errors';
import { GENERIC_CODE_ERROR, checkSignupToken, selfServiceSignup } from '@/lib/sites/self-service';
import { SIGNUP_PER_ADDRESS, SIGNUP_PER_ADDRESS_AND_HOST } from '@/lib/domain/limits';
import { MutuError } from '@/lib/domain/errors';
import { tooManyAttemptsError } from '@/lib/i18n/errors';

useTestFarm();
const p = useProvisioning();

let ipCounter = 0;
/** A fresh client address per attempt, so only the lockout tests ever reach a limit. */
const freshIp = () => `203.0.113.${++ipCounter}`;
const PASSWORD = 'the visitor password';
const signup = (code: string, host = randomHost('v'), ip = freshIp(), email = `v-${randomPart()}@example.org`) =>
  selfServiceSignup(ip, { host, email, password: PASSWORD, code });

async function expectGenericRefusal(promise: Promise<unknown>, what: string) {
  const err = await promise.catch((e: unknown) => e);
  expect(err, what).toBeInstanceOf(SiteError);
  expect(err, what).toMatchObject({ status: 422, message: GENERIC_CODE_ERROR });
}

const usesOf = async (id: string) => (await db.activationCode.findUniqueOrThrow({ where: { id } })).uses;

let spipPlatform: string;
beforeAll(async () => {
  spipPlatform = (await p.platform('spip')).name;
});

describe('activation codes on the self-service path', () => {
  it('refuses wrong, expired, used-up and revoked codes alike; a right code for a host outside its pattern says so', async () => {
    const good = await createCode(adminActor, { label: 'good', uses: 5 });
    const [lookup] = good.code.split('-').slice(1);
    const wrong = [
      '',
      'nonsense',
      good.code.slice(0, -1),
      good.code.slice(0, -1) + (good.code.endsWith('A') ? 'B' : 'A'), // right lookup, wrong secret
      `mutu-${'z'.repeat(10)}-${good.code.slice(-32)}`, // a lookup that does not exist
      `mutu-${lookup}-${'A'.repeat(32)}`,
      good.code.toUpperCase(),
    ];
    for (const text of wrong) {
      expect(await checkCode(text, 'x.example.org'), text).toBeNull();
      if (text) await expectGenericRefusal(signup(text), `wrong code ${JSON.stringify(text)}`);
    }

    const expired = await createCode(adminActor, { label: 'expired', expiresInDays: 1 });
    await db.activationCode.update({ where: { id: expired.row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectGenericRefusal(signup(expired.code), 'expired');

    const usedUp = await createCode(adminActor, { label: 'used up', uses: 2 });
    await db.activationCode.update({ where: { id: usedUp.row.id }, data: { uses: 2 } });
    await expectGenericRefusal(signup(usedUp.code), 'used up');

    const revoked = await createCode(adminActor, { label: 'revoked' });
    await revokeCode(adminActor, revoked.row.lookup);
    await expectGenericRefusal(signup(revoked.code), 'revoked');

    const patterned = await createCode(adminActor, { label: 'assos', hostPattern: '*.asso.example.org' });
    for (const host of [`t${randomPart()}.example.org`, 'asso.example.org', `x${randomPart()}.asso.example.org.evil.org`]) {
      expect(await checkCode(patterned.code, host), host).toBeNull();
      // The code is right: its holder learns the pattern, never the reason of a wrong code.
      const err = await signup(patterned.code, host).catch((e: unknown) => e);
      const words = `This code is for addresses matching *.asso.example.org, and ${host} is not one of them. Choose an address such as myclub.asso.example.org.`;
      expect(err, host).toMatchObject({ status: 422, message: words, fields: { host: words } });
    }
    // A wrong code for a host outside the pattern is still the generic refusal.
    await expectGenericRefusal(signup(patterned.code.slice(0, -1), 'elsewhere.example.org'), 'wrong code, host outside');
    await revokeCode(adminActor, patterned.row.lookup);
    await expectGenericRefusal(signup(patterned.code, 'elsewhere.example.org'), 'revoked code, host outside');
    await db.activationCode.update({ where: { id: patterned.row.id }, data: { revokedAt: null } });
    expect(await checkCode(patterned.code, `t${randomPart()}.asso.example.org`)).not.toBeNull();

    for (const c of [good, expired, revoked, patterned]) expect(await usesOf(c.row.id)).toBe(0);
    expect(await usesOf(usedUp.row.id)).toBe(2);
    expect(await db.site.count()).toBe(0);
    expect(await db.job.count()).toBe(0);
    expect(await db.user.count({ where: { role: 'webmaster' } })).toBe(0);
    const states = Object.fromEntries((await listCodes()).map((c) => [c.label, c.state]));
    expect(states).toMatchObject({ good: 'valid', expired: 'expired', 'used up': 'used up', revoked: 'revoked', assos: 'valid' });
    const refusals = await db.auditEvent.count({ where: { action: 'site.signup', ok: false } });
    expect(refusals).toBeGreaterThanOrEqual(wrong.length - 1 + 6);
  });

  it('stops accepting a code the moment it is revoked', async () => {
    const { code, row } = await createCode(adminActor, { label: 'to revoke', uses: 10 });
    const host = randomHost('rv');
    expect(await checkCode(code, host)).not.toBeNull();
    await revokeCode(adminActor, row.id);
    expect(await checkCode(code, host)).toBeNull();
    await expectGenericRefusal(signup(code, host), 'just revoked');
    expect(await usesOf(row.id)).toBe(0);
  });

  it('holds off an address after repeated wrong codes, refusing even its right code; another address gets in', async () => {
    const { code, row } = await createCode(adminActor, { label: 'right code, locked client' });
    const ip = '192.0.2.77';
    for (let i = 0; i < SIGNUP_PER_ADDRESS.max; i++) {
      await expectGenericRefusal(signup(`mutu-${'a'.repeat(10)}-${'B'.repeat(32)}`, randomHost('lk'), ip), `wrong attempt ${i + 1}`);
    }
    const host = randomHost('lk');
    const held = { status: 429, message: tooManyAttemptsError(SIGNUP_PER_ADDRESS.lockMs, (m) => new MutuError(m, 429)).message };
    await expect(signup(code, host, ip)).rejects.toMatchObject(held);
    expect(await usesOf(row.id)).toBe(0);
    expect(await db.site.count({ where: { host } })).toBe(0);
    // Another client is not held off by this one.
    await expect(signup(code, host, freshIp())).resolves.toMatchObject({ host });
  });

  it('never locks a host for everyone: wrong codes for it hold off only the addresses that sent them', async () => {
    const { code, row } = await createCode(adminActor, { label: 'right code, host under attack', uses: 2 });
    const host = randomHost('lh');
    const wrongCode = `mutu-${'c'.repeat(10)}-${'D'.repeat(32)}`;
    // From many addresses, any number of wrong codes for the host.
    for (let i = 0; i < SIGNUP_PER_ADDRESS_AND_HOST.max * 2; i++) await expectGenericRefusal(signup(wrongCode, host), `wrong attempt ${i + 1}`);
    // From one address, past the limit for this host.
    const attacker = '192.0.2.88';
    for (let i = 0; i < SIGNUP_PER_ADDRESS_AND_HOST.max; i++) await expectGenericRefusal(signup(wrongCode, host, attacker), `attacker attempt ${i + 1}`);
    await expect(signup(code, host, attacker)).rejects.toMatchObject({ status: 429 });
    await expect(signup(code, `www.${host}`, attacker)).rejects.toMatchObject({ status: 429 }); // the same site, written otherwise
    expect(await usesOf(row.id)).toBe(0);
    // The attacker may still try other hosts (up to the address's own limit)...
    await expectGenericRefusal(signup(wrongCode, randomHost('lh'), attacker), 'another host');
    // ...and anyone else gets the host with the right code.
    await expect(signup(code, host, freshIp())).resolves.toMatchObject({ host });
    expect(await usesOf(row.id)).toBe(1);
  });

  it('with a right code creates the site on the code platform, with the visitor as a webmaster who can sign in', async () => {
    const { code, row } = await createCode(adminActor, { label: 'club', uses: 3, hostPattern: '*.asso.example.org', platform: spipPlatform });
    const host = `t${randomPart()}-club.asso.example.org`;
    const email = `Club-${randomPart()}@Example.org`;
    const started = await selfServiceSignup(freshIp(), { host: host.toUpperCase(), email, password: PASSWORD, code });
    expect(started.host).toBe(host);
    expect(checkSignupToken(started.jobId, started.token)).toBe(true);
    expect(checkSignupToken(started.jobId, started.token.slice(0, -1) + 'x')).toBe(false);
    expect(await usesOf(row.id)).toBe(1);

    const worker = await p.startWorker();
    worker.nudge();
    const job = await waitForJob(started.jobId);
    expect(job.status, job.error ?? '').toBe('succeeded');
    const site = await db.site.findUniqueOrThrow({ where: { host }, include: { platform: true, webmasters: { include: { user: true } } } });
    expect(site).toMatchObject({ status: 'active', platform: { name: spipPlatform } });
    expect(site.webmasters.map((w) => w.user.email)).toEqual([email.toLowerCase()]);
    const user = site.webmasters[0]!.user;
    expect(user.role).toBe('webmaster');
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
    expect(await verifyPassword('another password', user.passwordHash)).toBe(false);
    expect(await usesOf(row.id)).toBe(1);
    const audit = await db.auditEvent.findMany({ where: { siteHost: host }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.source, a.ok])).toEqual([
      ['site.request', 'public', true],
      ['site.create', 'public', true],
    ]);

    // The same visitor, signed up again with the same e-mail: needs the account's password.
    await expect(selfServiceSignup(freshIp(), { host: `t${randomPart()}.asso.example.org`, email, password: 'not the password', code })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('already has a Mutu account'),
    });
    expect(await usesOf(row.id)).toBe(1);
  });
});
