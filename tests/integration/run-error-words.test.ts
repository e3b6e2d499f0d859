import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { runView } = await import('@/lib/upgrades/run-view');
const { jobFailure, ERROR_WORDS, CANCELLED } = await import('@/lib/jobs/job-error');
const { tell } = await import('@/lib/i18n/errors');

/*
 * A run's page lists each site's error: a refusal of Mutu's is said in the reader's language
 * (its words come from the failed job's state, read for the failed sites only), a tool's own
 * words as they are.
 */
describe("a run's per-site errors", () => {
  it('carry the words of a failed job that has them, and none for a tool\'s error', async () => {
    const platform = await db.platform.create({ data: { name: `p-${Date.now()}`, profile: 'generic', codePath: '/srv/p' } });
    const [a, b] = await Promise.all(
      ['a', 'b'].map((n) => db.site.create({ data: { host: `${n}-${Date.now()}.run-words.example.org`, status: 'active', platformId: platform.id } })),
    );
    const targets = [a!, b!].map((s) => ({ siteId: s.id, host: s.host, from: platform.name }));
    const run = await db.run.create({
      data: {
        kind: 'upgrade',
        status: 'partial',
        params: { targetPlatformId: platform.id, targetName: platform.name, selection: '2 listed host(s)', listed: 2, concurrency: 1, maxFailures: 5, canarySharePercent: 0, targets, leftOut: [] },
        summary: { round: 1, roundStartedAt: new Date(0).toISOString(), failureBase: 0, skipped: {}, lastMailedDecile: 0 },
      },
    });
    const refused = jobFailure(CANCELLED);
    await db.job.create({ data: { kind: 'site.upgrade', status: 'cancelled', runId: run.id, siteId: a!.id, error: refused.text, state: JSON.parse(JSON.stringify({ [ERROR_WORDS]: refused.words })) } }); // as the worker saves it
    await db.job.create({ data: { kind: 'site.upgrade', status: 'failed', runId: run.id, siteId: b!.id, error: 'mysqldump: Got error: 1045', state: { snapshot: '/x' } } });

    const view = (await runView(run.id))!;
    const [first, second] = view.sites;
    expect(first!.error).toBe(refused.text);
    expect(tell('fr', first!.errorWords!.words)).toBe(tell('fr', refused.words!.words));
    expect(tell('fr', first!.errorWords!.words)).not.toBe(refused.text);
    expect(second).toMatchObject({ error: 'mysqldump: Got error: 1045', errorWords: null });
  });
});
