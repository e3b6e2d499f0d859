import crypto from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { outboxMails } from '../helpers/outbox';
import { db } from '@/lib/db/client';
import { verifyPassword } from '@/lib/auth/password';
import { RESET_PER_ADDRESS_AND_ACCOUNT } from '@/lib/domain/limits';
import type { Actor } from '@/lib/domain/actor';
import { setSiteEnabled } from '@/lib/sites/lifecycle';
import { addWebmaster, removeWebmaster } from '@/lib/sites/webmasters';
import { notifyExportRequester } from '@/lib/sites/webmaster-notify';
import { DeadLinkError, describePasswordLink, requestPasswordReset, setPasswordFromLink } from '@/lib/users/password-links';
import { changeOwnPassword } from '@/lib/users/account';
import { createUser } from '@/lib/users/service';

// Mails as the webmasters get them, from the embedded outbox, with links built from the public address.
const farm = useTestFarm({ MUTU_PUBLIC_URL: 'https://mutu.example.org' });
const mutu = (args: string[], stdin?: string) => runCli(args, { env: farm.env, stdin });
const mails = () => outboxMails(path.join(farm.dataDir, 'outbox'));
const mailsTo = (email: string) => mails().filter((m) => m.includes(`To: ${email}`));
const admin: Actor = { source: 'ui', ip: '192.0.2.1', email: 'admin@example.org', userId: 'admin-id' };
const suffix = crypto.randomBytes(3).toString('hex');
const SPIP_SITE = `club-${suffix}.example.org`;
const GENERIC_SITE = `plain-${suffix}.example.org`;

/** The Mutu link to choose a password in a mail, and its token (in the fragment). */
function accountLink(mail: string): { link: string; token: string } {
  const link = /https:\/\/mutu\.example\.org\/set-password#([A-Za-z0-9_-]+)/.exec(mail);
  expect(link, mail).not.toBeNull();
  return { link: link![0], token: link![1]! };
}

beforeAll(async () => {
  const spip = await db.platform.create({ data: { name: 'spip-4.2', profile: 'spip', version: '4.2.9', codePath: '/srv/spip' } });
  const generic = await db.platform.create({ data: { name: 'php', profile: 'generic', codePath: '/srv/php' } });
  await db.site.create({ data: { host: SPIP_SITE, status: 'active', platformId: spip.id } });
  await db.site.create({ data: { host: GENERIC_SITE, status: 'active', platformId: generic.id } });
});

describe('a new webmaster', () => {
  const email = `new-${suffix}@example.org`;
  let token = '';

  it('added to a site gets an account and a welcome mail: the site, its admin area and a single-use link, no password', async () => {
    const r = await addWebmaster(admin, SPIP_SITE, email.toUpperCase());
    expect(r).toMatchObject({ newAccount: true, mailError: undefined });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { sites: true } });
    expect(user.role).toBe('webmaster');
    expect(user.sites).toHaveLength(1);

    const [mail, ...more] = mailsTo(email);
    expect(more).toEqual([]);
    expect(mail).toContain(`Subject: [Mutu] You look after ${SPIP_SITE}`);
    expect(mail).toContain(`http://${SPIP_SITE}/`);
    expect(mail).toContain(`Its admin area (SPIP): http://${SPIP_SITE}/ecrire/`);
    expect(mail).toContain('added by admin@example.org');
    expect(mail).toContain('within 72 hours');
    expect(mail).not.toMatch(/password\s*:/i);
    token = accountLink(mail!).token;

    // Only an HMAC of the token is kept, with its expiry 72 hours on.
    const row = await db.passwordToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(await db.passwordToken.findMany())).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(72 * 3600_000);
    expect(await describePasswordLink(token)).toEqual({ email, purpose: 'welcome' });
    await expect(addWebmaster(admin, SPIP_SITE, email)).rejects.toThrow(`${email} is already a webmaster of ${SPIP_SITE}`);
  });

  it('chooses a password through the link, which works once; their sessions end', async () => {
    const before = (await db.user.findUniqueOrThrow({ where: { email } })).sessionVersion;
    expect(await setPasswordFromLink(token, 'a password chosen by the webmaster', '192.0.2.9')).toEqual({ email });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword('a password chosen by the webmaster', user.passwordHash)).toBe(true);
    expect(user.sessionVersion).toBe(before + 1);
    await expect(setPasswordFromLink(token, 'another password for a thief', '192.0.2.66')).rejects.toBeInstanceOf(DeadLinkError);
    expect(await describePasswordLink(token)).toBeNull();
    await expect(setPasswordFromLink('x'.repeat(43), 'another password for a thief', '192.0.2.66')).rejects.toBeInstanceOf(DeadLinkError);
    expect(await verifyPassword('a password chosen by the webmaster', (await db.user.findUniqueOrThrow({ where: { email } })).passwordHash)).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.password-link' } });
    expect(audit).toMatchObject({ actorEmail: email, ip: '192.0.2.9', ok: true });
  });

  it('added to a second site once signed in gets a welcome mail without a link', async () => {
    await db.user.update({ where: { email }, data: { lastLoginAt: new Date() } });
    await addWebmaster(admin, GENERIC_SITE, email);
    const mail = mailsTo(email).find((m) => m.includes(GENERIC_SITE))!;
    expect(mail).toContain(`Its admin area (Generic PHP): http://${GENERIC_SITE}/`);
    expect(mail).toContain('sign in at https://mutu.example.org/login');
    expect(mail).toContain('https://mutu.example.org/forgot-password');
    expect(mail).not.toContain('/set-password#');
  });

  it('is told when their site is disabled and enabled again, by whom', async () => {
    const before = mailsTo(email).length;
    await setSiteEnabled(admin, GENERIC_SITE, false);
    await setSiteEnabled({ source: 'cli', ip: 'cli', email: 'cli:root' }, GENERIC_SITE, true);
    const [disabled, enabled] = mailsTo(email).slice(before);
    expect(disabled).toContain(`Subject: [Mutu] ${GENERIC_SITE} was disabled`);
    expect(disabled).toContain('maintenance page');
    expect(disabled).toContain('Done by: admin@example.org.');
    expect(enabled).toContain(`Subject: [Mutu] ${GENERIC_SITE} is enabled again`);
    expect(enabled).not.toContain('Done by');
  });

  it('is told when the export they asked for is ready, with its files; an admin\'s export mails nobody', async () => {
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const site = await db.site.findUniqueOrThrow({ where: { host: SPIP_SITE } });
    const mine = await db.export.create({
      data: {
        siteId: site.id,
        requestedById: user.id,
        status: 'ready',
        expiresAt: new Date('2030-01-02T03:04:00Z'),
        files: { create: [{ kind: 'sql', name: `${SPIP_SITE}-db.sql.gz`, path: '/x', sizeBytes: 2048n, sha256: 'a'.repeat(64) }] },
      },
    });
    expect(await notifyExportRequester(mine.id, true)).toBe(email);
    const mail = mailsTo(email).at(-1)!;
    expect(mail).toContain(`Subject: [Mutu] Your export of ${SPIP_SITE} is ready`);
    expect(mail).toContain(`${SPIP_SITE}-db.sql.gz (2.0 KiB)`);
    expect(mail).toContain('2030-01-02 03:04 UTC');
    expect(mail).toContain('https://mutu.example.org/my');

    const { user: boss } = await createUser(admin, { email: `boss-${suffix}@example.org`, role: 'admin', password: 'an admin password here' });
    const theirs = await db.export.create({ data: { siteId: site.id, requestedById: boss.id, status: 'ready', expiresAt: new Date() } });
    expect(await notifyExportRequester(theirs.id, true)).toBeNull();
  });

  it('taken off a site keeps their account; taking them off twice says they are not', async () => {
    await removeWebmaster(admin, GENERIC_SITE, email);
    expect(await db.siteWebmaster.count({ where: { user: { email } } })).toBe(1);
    await expect(removeWebmaster(admin, GENERIC_SITE, email)).rejects.toThrow(`${email} is not a webmaster of ${GENERIC_SITE}`);
  });
});

describe('"Forgot password?"', () => {
  const email = `forgetful-${suffix}@example.org`;
  beforeAll(async () => {
    await createUser(admin, { email, role: 'webmaster', password: 'the password they forgot' });
  });

  it('answers alike for an account and for an unknown address, and mails only the account, a link that works once', async () => {
    await requestPasswordReset(email, '198.51.100.1');
    await requestPasswordReset(`nobody-${suffix}@example.org`, '198.51.100.1');
    await expect.poll(() => mailsTo(email).length).toBe(1);
    expect(mailsTo(`nobody-${suffix}@example.org`)).toEqual([]);
    const mail = mailsTo(email)[0]!;
    expect(mail).toContain('Subject: [Mutu] Choose a new password');
    expect(mail).not.toContain('the password they forgot');
    const { token } = accountLink(mail);
    expect(await describePasswordLink(token)).toEqual({ email, purpose: 'reset' });
    await setPasswordFromLink(token, 'the password they chose now', '198.51.100.1');
    await expect(setPasswordFromLink(token, 'the password they chose now', '198.51.100.1')).rejects.toBeInstanceOf(DeadLinkError);
  });

  it('is limited per address and account; another address is not held off', async () => {
    const ip = '198.51.100.77';
    for (let i = 0; i < RESET_PER_ADDRESS_AND_ACCOUNT.max; i++) await requestPasswordReset(email, ip);
    await expect(requestPasswordReset(email, ip)).rejects.toThrow(/Too many attempts from your address/);
    // Another address is not held off.
    await requestPasswordReset(email, '198.51.100.78');
    const lockout = await db.auditEvent.findFirstOrThrow({ where: { action: 'auth.reset.lockout' } });
    expect(lockout).toMatchObject({ ip, ok: false });
  });

  it('a password changed by its owner spends the links mailed before', async () => {
    await requestPasswordReset(email, '198.51.100.90');
    await expect.poll(() => mailsTo(email).length).toBeGreaterThanOrEqual(5);
    const { token } = accountLink(mailsTo(email).at(-1)!);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const owner: Actor = { source: 'ui', ip: '198.51.100.90', email, userId: user.id };
    await expect(changeOwnPassword(owner, user.id, 'not their password', 'yet another password')).rejects.toThrow('Your current password is not right.');
    await changeOwnPassword(owner, user.id, 'the password they chose now', 'yet another password');
    expect(await verifyPassword('yet another password', (await db.user.findUniqueOrThrow({ where: { email } })).passwordHash)).toBe(true);
    expect(await describePasswordLink(token)).toBeNull();
  });
});

describe('mutu users --site', () => {
  it('creates a webmaster of a site, attaches and detaches others, and lists their sites', async () => {
    const [created, attached] = await Promise.all([
      mutu(['users', 'create', '--email', `cli-${suffix}@example.org`, '--site', SPIP_SITE]),
      mutu(['users', 'attach', '--email', `other-${suffix}@example.org`, '--site', GENERIC_SITE]),
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`cli-${suffix}@example.org is now a webmaster of ${SPIP_SITE}`);
    expect(created.stdout).toContain('A welcome mail went to');
    expect(mailsTo(`cli-${suffix}@example.org`)).toHaveLength(1);

    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.stdout).toContain(`other-${suffix}@example.org is now a webmaster of ${GENERIC_SITE} (a new webmaster account)`);
    // The welcome mail links to the public address of the farm's settings, the server's own.
    expect(accountLink(mailsTo(`other-${suffix}@example.org`)[0]!).link).toMatch(/^https:\/\/mutu\.example\.org\//);
    await mutu(['users', 'attach', '--email', `other-${suffix}@example.org`, '--site', SPIP_SITE]);

    const [json, table] = await Promise.all([mutu(['users', 'list', '--json']), mutu(['users', 'list'])]);
    const list = JSON.parse(json.stdout) as { email: string; sites: number; siteHosts: string[] }[];
    expect(list.find((u) => u.email === `other-${suffix}@example.org`)).toMatchObject({ sites: 2, siteHosts: [SPIP_SITE, GENERIC_SITE] });
    expect(table.stdout).toContain(`${SPIP_SITE}, ${GENERIC_SITE}`);

    const detached = await mutu(['users', 'detach', '--email', `other-${suffix}@example.org`, '--site', SPIP_SITE]);
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stdout).toContain(`other-${suffix}@example.org is no longer a webmaster of ${SPIP_SITE}`);
    const [again, unknown] = await Promise.all([
      mutu(['users', 'detach', '--email', `other-${suffix}@example.org`, '--site', SPIP_SITE]),
      mutu(['users', 'attach', '--email', `x-${suffix}@example.org`, '--site', `nope-${suffix}.example.org`]),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not a webmaster of');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no site is named');
  });
});

describe('a webmaster who chose French', () => {
  const email = `fr-${suffix}@example.org`;
  const host = `asso-${suffix}.example.org`;

  it('gets every mail in French: the welcome, a change to their site, a new password', async () => {
    const platform = await db.platform.findFirstOrThrow({ where: { profile: 'spip' } });
    await db.site.create({ data: { host, status: 'active', platformId: platform.id } });
    await db.user.create({ data: { email, role: 'webmaster', passwordHash: 'not a hash', locale: 'fr' } });

    await addWebmaster(admin, host, email);
    const [welcome] = mailsTo(email);
    expect(welcome).toContain('Bonjour,');
    expect(welcome).toContain(`Vous êtes désormais webmestre du site ${host} (ajouté par admin@example.org).`);
    expect(welcome).toContain(`Son espace d’administration (SPIP)\u00a0: http://${host}/ecrire/`);
    expect(welcome).toContain('dans les 72 heures');
    expect(welcome).not.toContain('Hello');

    await setSiteEnabled(admin, host, false);
    const disabled = mailsTo(email).at(-1);
    expect(disabled).toContain(`Votre site ${host} a été désactivé\u00a0: les visiteurs voient une page de maintenance.`);
    expect(disabled).toContain('Fait par\u00a0: admin@example.org.');

    const before = mailsTo(email).length;
    await requestPasswordReset(email, '198.51.100.200');
    await expect.poll(() => mailsTo(email).length).toBe(before + 1);
    expect(mailsTo(email).at(-1)).toContain(`a demandé un nouveau mot de passe pour le compte Mutu ${email}.`);
  });

  it('and an English reader still gets English: no setting means English mails', async () => {
    const mail = mailsTo(`new-${suffix}@example.org`)[0];
    expect(mail).toContain('Hello,');
  });
});

describe('an account that chose no language', () => {
  const email = `page-fr-${suffix}@example.org`;

  it('reads its mails in the language of the page that sent them: the adding admin’s, the one "Forgot password?" was asked from', async () => {
    await addWebmaster(admin, GENERIC_SITE, email, 'fr');
    const [welcome] = mailsTo(email);
    expect(welcome).toContain(`Subject: [Mutu] Vous vous occupez de ${GENERIC_SITE}`);
    expect(welcome).toContain('dans les 72 heures');
    expect((await db.user.findUniqueOrThrow({ where: { email } })).locale).toBeNull();

    await requestPasswordReset(email, '198.51.100.210', 'fr');
    await expect.poll(() => mailsTo(email).length).toBe(2);
    expect(mailsTo(email).at(-1)).toContain('Subject: [Mutu] Choisissez un nouveau mot de passe');
  });

  it('while an account’s own choice wins over the page’s', async () => {
    const french = `chose-fr-${suffix}@example.org`;
    await db.user.create({ data: { email: french, role: 'webmaster', passwordHash: 'not a hash', locale: 'fr' } });
    await requestPasswordReset(french, '198.51.100.211', 'en');
    await expect.poll(() => mailsTo(french).length).toBe(1);
    expect(mailsTo(french).at(-1)).toContain('Subject: [Mutu] Choisissez un nouveau mot de passe');
  });
});
