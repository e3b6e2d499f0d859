import { describe, expect, it } from 'vitest';
import { planDatabaseRemoval, type OtherUse, type SiteDbFacts } from '@/lib/domain/db-removal';

const own: SiteDbFacts = { database: 'mu_a', user: 'mu_a', tablePrefix: 'spip', shared: false, createdByMutu: true };
const adopted: SiteDbFacts = { ...own, createdByMutu: false };
const use = (who: string, o: Partial<OtherUse>): OtherUse => ({ who, database: 'mu_x', user: 'mu_x', tablePrefix: 'spip', ...o });
const plan = (site: SiteDbFacts, others: OtherUse[] = [], opts: Partial<{ dropAdopted: boolean; userReach: string[] }> = {}) =>
  planDatabaseRemoval(site, others, { dropAdopted: false, userReach: [site.database], ...opts });

describe('planDatabaseRemoval', () => {
  it("drops a Mutu-made site's database and user when nothing else uses them", () => {
    expect(plan(own)).toEqual({ dropTables: false, dropDatabase: true, dropUser: true, kept: [] });
  });

  it('keeps an adopted site\'s database and user unless asked, and then drops them the same way', () => {
    expect(plan(adopted)).toMatchObject({ dropDatabase: false, dropUser: false, kept: [expect.stringMatching(/^the database mu_a and the user mu_a: Mutu did not make them .*--drop-database/)] });
    expect(plan(adopted, [], { dropAdopted: true })).toEqual({ dropTables: false, dropDatabase: true, dropUser: true, kept: [] });
  });

  it('never drops what another site, registered or a folder, uses, and names it', () => {
    const p = plan(adopted, [use('the site b.org', { user: 'mu_a' }), use('the folder /f/c.org (not registered)', { database: 'mu_a' })], { dropAdopted: true });
    expect(p).toEqual({
      dropTables: false,
      dropDatabase: false,
      dropUser: false,
      kept: ['the database mu_a: the folder /f/c.org (not registered) uses it too', 'the user mu_a: the site b.org uses it too'],
    });
    const many = ['a', 'b', 'c', 'd', 'e'].map((h) => use(`the site ${h}.org`, { user: 'mu_a' }));
    expect(plan(own, many).kept).toEqual(['the user mu_a: the site a.org, the site b.org, the site c.org and 2 more uses it too']);
  });

  it('keeps an account that still has rights or objects beyond the database it loses', () => {
    expect(plan(own, [], { userReach: ['mu_a', 'mu_other', '*'] })).toMatchObject({ dropDatabase: true, dropUser: false, kept: ['the user mu_a: it still has rights or objects in mu_other, the whole server'] });
    // its own database kept (another site uses it): the account keeps its rights there, so it stays too
    expect(plan(own, [use('the site b.org', { database: 'mu_a', user: 'mu_b' })])).toMatchObject({ dropDatabase: false, dropUser: false, kept: ['the database mu_a: the site b.org uses it too', 'the user mu_a: it still has rights or objects in mu_a'] });
  });

  it('in a shared database drops only the prefixed tables nobody else claims, and never the shared account', () => {
    const shared: SiteDbFacts = { database: 'mu_shared', user: 'mu_shared', tablePrefix: 'blog', shared: true, createdByMutu: true };
    const sharer = use('the site other.org', { database: 'mu_shared', user: 'mu_shared', tablePrefix: 'news' });
    expect(plan(shared, [sharer])).toEqual({ dropTables: true, dropDatabase: false, dropUser: false, kept: ['the user mu_shared: the site other.org uses it too'] });
    expect(plan(shared, [], { userReach: ['mu_shared'] })).toMatchObject({ dropTables: true, dropUser: false, kept: ['the user mu_shared: it still has rights or objects in mu_shared'] });
    const twin = use('the folder /f/t.org (not registered)', { database: 'mu_shared', user: 'mu_shared', tablePrefix: 'blog' });
    expect(plan(shared, [twin]).dropTables).toBe(false);
    expect(plan(shared, [twin]).kept[0]).toBe('the tables prefixed blog_ in the database mu_shared: the folder /f/t.org (not registered) uses them too');
  });
});
