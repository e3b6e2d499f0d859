import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { config, type MailSettings } from '@/lib/config';
import { db } from '@/lib/db/client';
import { operatorRecipients, publicLink, sendMail } from '@/lib/mail';
import { checkMail } from '@/lib/doctor/mail';

useTestFarm({ MUTU_PUBLIC_URL: 'https://mutu.example.org/', MUTU_OPERATORS: 'ops@example.org, Boss@Example.org' });

interface Received {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives; it accepts one login. */
function startSmtpServer(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // loopback only, no TLS certificate to offer
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mutu' && auth.password === 's3cret pass') callback(null, { user: auth.username });
      else callback(new Error('wrong login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port, received }));
  });
}

describe('sendMail', () => {
  it('writes each message into the outbox as an .eml file by default', async () => {
    const link = publicLink('/login');
    const sent = await sendMail({ to: 'someone@example.org', subject: 'Welcome to Mutu', text: `Sign in at ${link}` });
    expect(sent.file).toBeDefined();
    const file = sent.file!;
    expect(path.dirname(file)).toBe(config().mail.outboxDir);
    expect(file).toMatch(/\.eml$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const eml = fs.readFileSync(file, 'utf8');
    expect(eml).toContain('To: someone@example.org');
    expect(eml).toContain('From: mutu@localhost');
    expect(eml).toContain('Subject: Welcome to Mutu');
    expect(eml).toContain('Sign in at https://mutu.example.org/login');
    expect(fs.readdirSync(config().mail.outboxDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a mail without recipient', async () => {
    await expect(sendMail({ to: [], subject: 'Nobody', text: '' })).rejects.toThrow('has no recipient');
  });

  describe('over SMTP', () => {
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    const smtpSettings = (url: string): MailSettings => ({ ...config().mail, transport: 'smtp', smtpUrl: url });

    beforeAll(async () => {
      smtp = await startSmtpServer();
    });
    afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

    it('sends to a real SMTP server, without login', async () => {
      const sent = await sendMail(
        { to: ['a@example.org', 'b@example.org'], subject: 'Site ready', text: 'Your site is ready.' },
        smtpSettings(`smtp://127.0.0.1:${smtp.port}`),
      );
      expect(sent.file).toBeUndefined();
      const last = smtp.received.at(-1)!;
      expect(last.from).toBe('mutu@localhost');
      expect(last.to).toEqual(['a@example.org', 'b@example.org']);
      expect(last.raw).toContain('Subject: Site ready');
      expect(last.raw).toContain('Your site is ready.');
    });

    it('logs in with the credentials of the URL', async () => {
      await sendMail(
        { to: 'c@example.org', subject: 'With login', text: 'hello' },
        smtpSettings(`smtp://mutu:${encodeURIComponent('s3cret pass')}@127.0.0.1:${smtp.port}`),
      );
      expect(smtp.received.at(-1)).toMatchObject({ user: 'mutu', to: ['c@example.org'] });
    });

    it('is what the doctor verifies: ok when the server answers, a failure naming the server otherwise', async () => {
      const good = await checkMail(smtpSettings(`smtp://127.0.0.1:${smtp.port}`));
      expect(good).toMatchObject({ name: 'mail', status: 'ok' });
      expect(good.detail).toContain(`smtp://127.0.0.1:${smtp.port}`);
      const badLogin = await checkMail(smtpSettings(`smtp://mutu:not-the-pass-Zq9@127.0.0.1:${smtp.port}`));
      expect(badLogin.status).toBe('fail');
      expect(badLogin.detail).toContain('Invalid login');
      expect(badLogin.detail).not.toContain('not-the-pass-Zq9');
      const closed = await checkMail(smtpSettings('smtp://127.0.0.1:1'));
      expect(closed.status).toBe('fail');
      expect(closed.detail).toContain('MUTU_SMTP_URL');
    });
  });
});

describe('publicLink', () => {
  it('builds links from MUTU_PUBLIC_URL only', () => {
    expect(publicLink('/exports/abc', { token: 'x y' })).toBe('https://mutu.example.org/exports/abc?token=x+y');
    expect(() => publicLink('//evil.example/login')).toThrow();
    expect(() => publicLink('https://evil.example/login')).toThrow();
  });
});

describe('operatorRecipients', () => {
  it('is every admin plus MUTU_OPERATORS, each once, each in their language', async () => {
    await db.user.createMany({
      data: [
        { email: 'boss@example.org', role: 'admin', passwordHash: 'x' },
        { email: 'second@example.org', role: 'admin', passwordHash: 'x', locale: 'fr' },
        { email: 'web@example.org', role: 'webmaster', passwordHash: 'x' },
      ],
    });
    expect(await operatorRecipients()).toEqual([
      { email: 'boss@example.org', locale: 'en' },
      { email: 'second@example.org', locale: 'fr' },
      { email: 'ops@example.org', locale: 'en' },
    ]);
    // An operator address that is a user's account reads in that user's language.
    await db.user.create({ data: { email: 'ops@example.org', role: 'webmaster', passwordHash: 'x', locale: 'fr' } });
    expect((await operatorRecipients()).find((r) => r.email === 'ops@example.org')).toEqual({ email: 'ops@example.org', locale: 'fr' });
  });
});
