import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { db } from '@/lib/db/client';
import { verifyPassword } from '@/lib/auth/password';

const farm = useTestFarm();
const mutu = (args: string[], stdin?: string) => runCli(args, { env: farm.env, stdin });
const sessionVersion = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).sessionVersion;

describe('mutu users', () => {
  it('creates an admin with a generated password shown once', async () => {
    const r = await mutu(['users', 'create', '--email', 'Boss@Example.org', '--role', 'admin', '--name', 'The Boss']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const password = /Password: (\S+)/.exec(r.stdout)?.[1];
    expect(password).toBeTruthy();
    const user = await db.user.findUniqueOrThrow({ where: { email: 'boss@example.org' } });
    expect(user).toMatchObject({ role: 'admin', name: 'The Boss' });
    expect(await verifyPassword(password!, user.passwordHash)).toBe(true);
  });

  it('creates a webmaster with a password from standard input, never printing it', async () => {
    const r = await mutu(['users', 'create', '--email', 'web@example.org', '--password-stdin'], 'a long enough password\n');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Password:');
    const user = await db.user.findUniqueOrThrow({ where: { email: 'web@example.org' } });
    expect(user.role).toBe('webmaster');
    expect(await verifyPassword('a long enough password', user.passwordHash)).toBe(true);
  });

  it('refuses a duplicate e-mail and a weak password', async () => {
    const dup = await mutu(['users', 'create', '--email', 'web@example.org']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const weak = await mutu(['users', 'create', '--email', 'weak@example.org', '--password-stdin'], 'short');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least \d+ characters/);
  });

  it('lists users as a table and as JSON', async () => {
    const table = await mutu(['users', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/EMAIL\s+NAME\s+ROLE/);
    expect(table.stdout).toMatch(/boss@example\.org\s+The Boss\s+admin/);
    expect(table.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC, just now/);
    const json = await mutu(['users', 'list', '--json']);
    const rows = JSON.parse(json.stdout) as { email: string; role: string; createdAt: string; sites: number }[];
    expect(rows.map((u) => u.email)).toEqual(['boss@example.org', 'web@example.org']);
    expect(rows[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.stringify(rows)).not.toContain('passwordHash');
  });

  it('changes a password read from standard input, ending the sessions', async () => {
    const before = await sessionVersion('web@example.org');
    const r = await mutu(['users', 'passwd', '--email', 'web@example.org', '--password-stdin'], 'another long password');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('their sessions have ended');
    const user = await db.user.findUniqueOrThrow({ where: { email: 'web@example.org' } });
    expect(await verifyPassword('another long password', user.passwordHash)).toBe(true);
    expect(user.sessionVersion).toBe(before + 1);
    const unknown = await mutu(['users', 'passwd', '--email', 'nobody@example.org', '--password-stdin'], 'another long password');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no user has the e-mail nobody@example.org');
  });

  it('changes a role, ending the sessions, and never demotes the last admin', async () => {
    const before = await sessionVersion('web@example.org');
    const promoted = await mutu(['users', 'role', '--email', 'Web@Example.org', '--role', 'admin']);
    expect(promoted.stderr).toBe('');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('web@example.org is now admin');
    expect(await db.user.findUniqueOrThrow({ where: { email: 'web@example.org' } })).toMatchObject({ role: 'admin', sessionVersion: before + 1 });

    const same = await mutu(['users', 'role', '--email', 'web@example.org', '--role', 'admin']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('already admin');
    expect(await sessionVersion('web@example.org')).toBe(before + 1);

    // Two admins: either may be demoted; then the other is the last, and stays.
    const demoted = await mutu(['users', 'role', '--email', 'web@example.org', '--role', 'webmaster']);
    expect(demoted.code).toBe(0);
    const last = await mutu(['users', 'role', '--email', 'boss@example.org', '--role', 'webmaster']);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('boss@example.org is the last admin');
    expect(await db.user.findUniqueOrThrow({ where: { email: 'boss@example.org' } })).toMatchObject({ role: 'admin' });

    const wrong = await mutu(['users', 'role', '--email', 'web@example.org', '--role', 'root']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('admin, webmaster');
    const missing = await mutu(['users', 'role', '--email', 'web@example.org']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--role');
    const unknown = await mutu(['users', 'role', '--email', 'nobody@example.org', '--role', 'admin']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no user has the e-mail nobody@example.org');
  });

  it('deletes only with --yes, and never the last admin', async () => {
    const unconfirmed = await mutu(['users', 'delete', '--email', 'web@example.org']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(await db.user.count({ where: { email: 'web@example.org' } })).toBe(1);

    const deleted = await mutu(['users', 'delete', '--email', 'web@example.org', '--yes']);
    expect(deleted.code).toBe(0);
    expect(await db.user.count({ where: { email: 'web@example.org' } })).toBe(0);

    const lastAdmin = await mutu(['users', 'delete', '--email', 'boss@example.org', '--yes']);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toContain('last admin');
    expect(await db.user.count({ where: { email: 'boss@example.org' } })).toBe(1);
  });

  it('records every change in the audit trail as coming from the CLI', async () => {
    const events = await db.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['user.create', 'user.create', 'user.passwd', 'user.role', 'user.role', 'user.delete']);
    expect(events[3]!.details).toEqual({ email: 'web@example.org', from: 'webmaster', to: 'admin' });
    for (const e of events) expect(e).toMatchObject({ source: 'cli', ip: 'cli' });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain('password');
  });

  it('exits 2 with usage on a wrong flag or a missing option', async () => {
    const wrong = await mutu(['users', 'list', '--bogus']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown option '--bogus'");
    expect(wrong.stderr).toContain('--help');
    const missing = await mutu(['users', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email');
    const role = await mutu(['users', 'create', '--email', 'x@example.org', '--role', 'root']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('admin, webmaster');
  });

  it('answers --help on every users command', async () => {
    const results = await Promise.all(
      [[], ['create'], ['list'], ['passwd'], ['role'], ['delete']].map((sub) => mutu(['users', ...sub, '--help'])),
    );
    for (const r of results) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: mutu users/);
    }
    expect(results[1]!.stdout).toContain('--password-stdin');
  });
});
