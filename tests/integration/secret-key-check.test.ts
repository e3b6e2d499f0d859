import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';
import { runCli } from '../helpers/cli';
import { ConfigError, config } from '@/lib/config';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { keyCheckValue, verifySecretKey } from '@/lib/db/key-check';
import { enqueue } from '@/lib/jobs/queue';
import { pruneHandler } from '@/lib/jobs/handlers/prune';

const farm = useTestFarm();
const OTHER_KEY = 'ab'.repeat(32);
const actor = { source: 'cli', ip: 'cli', email: 'tester@example.org' } as const;

const refusal = (err: unknown) => {
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).message;
};

describe('a process whose secret key is not the registry\'s', () => {
  it('`mutu worker` refuses to start on a registry from before the check whose secrets its key cannot open, and takes no job', async () => {
    // A farm made by a Mutu with the test key: a server whose admin password is sealed with it.
    await db.dbServer.create({ data: { name: `maria-${Date.now()}`, engine: 'mysql', host: '127.0.0.1', port: 3306, adminUser: 'mutu', adminPasswordEnc: seal(config().secretKey, 'the admin password') } });
    const job = await enqueue(pruneHandler, {}, { actor, lockKey: 'maintenance' });
    expect(await db.secretKeyCheck.count()).toBe(0);

    const r = await runCli(['worker'], { env: { ...farm.env, MUTU_SECRET_KEY: OTHER_KEY }, timeoutMs: 30_000 });
    expect(r.code, r.stdout + r.stderr).toBe(78);
    expect(r.stderr).toContain('MUTU_SECRET_KEY');
    expect(r.stderr).toMatch(/cannot decrypt 1 of the 1 secrets/);
    expect(r.stderr).not.toContain(OTHER_KEY);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await db.secretKeyCheck.count()).toBe(0); // nothing recorded for the wrong key
  });

  it('a registry from before the check adopts the key its secrets open with; another key is refused from then on', async () => {
    await verifySecretKey(config());
    expect((await db.secretKeyCheck.findFirstOrThrow()).hmac).toBe(keyCheckValue(config().secretKey));
    await verifySecretKey(config()); // the same key, again: accepted

    const other = { ...config(), secretKey: Buffer.from(OTHER_KEY, 'hex') };
    const fromEnv = refusal(await verifySecretKey({ ...other, secretKeySource: 'environment' }).catch((e: unknown) => e));
    expect(fromEnv).toMatch(/MUTU_SECRET_KEY: this key is not the one this registry was made with/);
    const fromFile = refusal(await verifySecretKey({ ...other, secretKeySource: 'file' }).catch((e: unknown) => e));
    expect(fromFile).toContain(`MUTU_SECRET_KEY (not set: the key was read from ${farm.dataDir}/secret.key)`);
  });

  it('a `mutu` command that runs its job itself refuses too, leaving the job queued for a worker with the right key', async () => {
    const before = await db.job.count();
    const r = await runCli(['sites', 'measure'], { env: { ...farm.env, MUTU_SECRET_KEY: OTHER_KEY } });
    expect(r.code, r.stdout + r.stderr).toBe(78);
    expect(r.stderr).toContain('MUTU_SECRET_KEY: this key is not the one this registry was made with');
    const queued = await db.job.findMany({ orderBy: { createdAt: 'desc' }, take: (await db.job.count()) - before });
    for (const j of queued) expect(j.status).toBe('queued');
  });
});
