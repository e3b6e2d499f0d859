import { describe, expect, it } from 'vitest';
import { useTestFarm } from '../helpers/registry';

useTestFarm();
const { db } = await import('@/lib/db/client');
const { checkSiteCsv, creationProgress } = await import('@/lib/sites/bulk-create');
const { problemWords } = await import('@/lib/domain/site-csv');
const { catalogueTranslator } = await import('@/lib/i18n/messages');
const { jobFailure, ERROR_WORDS, CANCELLED } = await import('@/lib/jobs/job-error');
const { tell } = await import('@/lib/i18n/errors');

/*
 * What a French admin reads of a CSV of sites on the New site page: a line whose site the
 * registry refuses (an unknown platform) is said in French, as the single-site form says it;
 * a site's job that failed with Mutu's own refusal too, a tool's words as they are.
 */
const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('the per-site errors of a CSV of sites', () => {
  it("say a refusal of the site's request in the reader's language, its English unchanged", async () => {
    const { rows, problems } = await checkSiteCsv('host,platform\nwords-a.example.org,no-such-platform\n');
    expect(rows).toEqual([]);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ line: 2, column: 'platform' });
    expect(problem!.reason).toContain('no-such-platform');
    expect(problemWords(problem!, catalogueTranslator('en'))).toBe(problem!.reason);
    const fr = plain(problemWords(problem!, catalogueTranslator('fr')));
    expect(fr).toContain('no-such-platform');
    expect(fr).not.toBe(problem!.reason);
  });

  it("give a failed job's words, read from its state, and none for a tool's error", async () => {
    const refused = jobFailure(CANCELLED);
    const a = await db.job.create({ data: { kind: 'site.create', status: 'cancelled', target: 'words-b.example.org', error: refused.text, state: JSON.parse(JSON.stringify({ [ERROR_WORDS]: refused.words })) } });
    const b = await db.job.create({ data: { kind: 'site.create', status: 'failed', target: 'words-c.example.org', error: 'mysqladmin: connect failed', state: {} } });
    const progress = await creationProgress([a.id, b.id]);
    const byId = new Map(progress.jobs.map((j) => [j.id, j]));
    expect(tell('fr', byId.get(a.id)!.errorWords!.words)).toBe('annulée');
    expect(byId.get(b.id)).toMatchObject({ error: 'mysqladmin: connect failed', errorWords: null });
    expect(progress).toMatchObject({ made: 0, failed: 2, inProgress: 0 });
  });
});
