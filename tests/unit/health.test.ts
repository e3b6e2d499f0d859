import { describe, expect, it } from 'vitest';
import { MAX_REDIRECTS, isUnwell, judgeProbe, nextProbePath, pageKind, type ProbeAnswer, type ProbeFacts } from '@/lib/domain/health';

const HOST = 'club.example.org';
const at = (path: string, code: number, location?: string): ProbeAnswer => ({ url: `http://${HOST}${path}`, code, location: location ?? null });
const spip = (answers: ProbeAnswer[], more: Partial<ProbeFacts> = {}): ProbeFacts => ({ host: HOST, profile: 'spip', healthPath: true, answers, ...more });

/** What a probe asks, given each page's answer: the real loop of lib/sites/probe.ts over a table. */
function walk(pages: Record<string, [number, string?]>, start = '/spip.php'): ProbeAnswer[] {
  const answers: ProbeAnswer[] = [];
  for (let next: string | null = start; next !== null; next = nextProbePath(HOST, answers)) {
    const [code, location] = pages[next] ?? [404];
    answers.push(at(next, code, location));
  }
  return answers;
}

describe('pageKind', () => {
  it.each([
    ['spip', '/ecrire/?exec=install', 'install'],
    ['spip', '/ecrire/index.php?exec=install&etape=1', 'install'],
    ['spip', '/ecrire/install.php', 'install'],
    ['spip', '/spip.php?page=login&url=%2Fecrire%2F', 'login'],
    ['spip', '/?page=login', 'login'],
    ['spip', '/ecrire/?exec=accueil', null],
    ['spip', '/spip.php?page=loginx', null],
    ['spip', '/spip.php?page=article&id_article=1', null],
    ['moodle', '/install.php', 'install'],
    ['moodle', '/admin/index.php', 'install'],
    ['moodle', '/login/index.php', 'login'],
    ['moodle', '/course/view.php?id=2', null],
    ['generic', '/install/', 'install'],
    ['generic', '/login?next=%2F', 'login'],
    ['generic', '/installer-notes', null],
    ['unknown-profile', '/login', 'login'],
  ] as const)('%s %s is %s', (profile, page, kind) => {
    expect(pageKind(profile, page)).toBe(kind);
  });
});

describe('following redirects', () => {
  it('follows the site\'s own redirects, any port, with or without www., and relative ones', () => {
    const answers = walk({
      '/spip.php': [302, `http://${HOST}:8080/fr/`],
      '/fr/': [301, `http://www.${HOST}/fr/accueil`],
      '/fr/accueil': [302, 'bienvenue?x=1'],
      '/fr/bienvenue?x=1': [200],
    });
    expect(answers.map((a) => new URL(a.url).pathname + new URL(a.url).search)).toEqual(['/spip.php', '/fr/', '/fr/accueil', '/fr/bienvenue?x=1']);
    expect(judgeProbe(spip(answers))).toEqual({ status: 'up', code: 200, detail: 'redirects to /fr/bienvenue?x=1', asksDatabase: false });
  });

  it('stops at another site, at the same page over https or under www., and judges where it points', () => {
    expect(nextProbePath(HOST, [at('/', 301, 'https://elsewhere.example.com/')])).toBeNull();
    expect(judgeProbe(spip([at('/', 301, 'https://elsewhere.example.com/')], { healthPath: false }))).toMatchObject({ status: 'up', code: 301, detail: 'redirects to https://elsewhere.example.com/' });
    expect(nextProbePath(HOST, [at('/spip.php', 301, `https://${HOST}/spip.php`)])).toBeNull();
    expect(judgeProbe(spip([at('/spip.php', 301, `https://${HOST}/spip.php`)]))).toMatchObject({ status: 'up', code: 301, detail: `redirects to https://${HOST}/spip.php` });
    expect(judgeProbe(spip([at('/spip.php', 301, `http://www.${HOST}/spip.php`)]))).toMatchObject({ status: 'up', detail: `redirects to /spip.php` });
    // to its installer over https, on a front that sends everything to https: judged by where it points
    const https = walk({ '/spip.php': [302, `https://${HOST}/ecrire/?exec=install`], '/ecrire/?exec=install': [301, `https://${HOST}/ecrire/?exec=install`] });
    expect(https).toHaveLength(2);
    expect(judgeProbe(spip(https))).toMatchObject({ status: 'needs-install', code: 302, detail: `redirects to https://${HOST}/ecrire/?exec=install (the installer)` });
  });

  it(`gives up after ${MAX_REDIRECTS} redirects, and on a loop, as erring with the first code`, () => {
    const chain = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/p${i}`, [302, `/p${i + 1}`] as [number, string]]));
    const long = walk(chain, '/p0');
    expect(long).toHaveLength(MAX_REDIRECTS + 1);
    expect(judgeProbe(spip(long))).toMatchObject({ status: 'error', code: 302, detail: expect.stringMatching(/^more than 5 redirects \(\/p0 → \/p1 → .* → \/p5 → …\)$/) });
    const loop = walk({ '/a': [302, '/b'], '/b': [301, '/a'] }, '/a');
    expect(loop).toHaveLength(2);
    expect(judgeProbe(spip(loop))).toMatchObject({ status: 'error', code: 302, detail: 'redirects in a loop (/a → /b → /a)' });
    expect(judgeProbe(spip([at('/a', 302, `http://${HOST}/a`)]))).toMatchObject({ status: 'error', detail: 'redirects in a loop (/a → /a)' });
  });

  it('a redirect without a Location, or to something that is no web address, errs', () => {
    expect(judgeProbe(spip([at('/', 302)]))).toMatchObject({ status: 'error', code: 302, detail: 'answers 302 without saying where to' });
    expect(judgeProbe(spip([at('/', 302, 'ftp://x/')]))).toMatchObject({ status: 'error', code: 302 });
  });
});

describe('judgeProbe', () => {
  it('2xx is up, without detail', () => {
    expect(judgeProbe(spip([at('/spip.php', 200)]))).toEqual({ status: 'up', code: 200, detail: null, asksDatabase: false });
  });

  it('no answer is down, with why; a redirect to a page that does not answer too', () => {
    expect(judgeProbe(spip([], { noAnswer: 'connect ECONNREFUSED 127.0.0.1:80' }))).toMatchObject({ status: 'down', code: null, detail: 'connect ECONNREFUSED 127.0.0.1:80' });
    expect(judgeProbe(spip([at('/spip.php', 302, '/fr/')], { noAnswer: 'no answer within 10 s' }))).toMatchObject({ status: 'down', code: null, detail: 'redirects to /fr/, which does not answer: no answer within 10 s' });
  });

  it("a redirect to the application's installer needs install, whatever the database", () => {
    const answers = walk({ '/spip.php': [302, `http://${HOST}:34260/ecrire/?exec=install`], '/ecrire/?exec=install': [200] });
    expect(judgeProbe(spip(answers))).toEqual({ status: 'needs-install', code: 302, detail: 'redirects to /ecrire/?exec=install (the installer)', asksDatabase: false });
    expect(judgeProbe({ host: HOST, profile: 'moodle', healthPath: false, answers: [at('/', 303, '/admin/index.php'), at('/admin/index.php', 200)] })).toMatchObject({ status: 'needs-install', detail: 'redirects to /admin/index.php (the installer)' });
  });

  it('SPIP with an empty database: its public page sends to the sign-in with var_mode=debug; needs install once the database says so', () => {
    const login = `http://${HOST}:34260/spip.php?page=login&url=%2Fspip.php%3Fvar_mode%3Ddebug`;
    const answers = walk({ '/spip.php': [302, login], '/spip.php?page=login&url=%2Fspip.php%3Fvar_mode%3Ddebug': [200] });
    const asked = judgeProbe(spip(answers));
    expect(asked).toMatchObject({ status: 'error', code: 302, asksDatabase: true });
    expect(judgeProbe(spip(answers, { databaseEmpty: true }))).toEqual({
      status: 'needs-install',
      code: 302,
      detail: 'redirects to /spip.php?page=login&url=%2Fspip.php%3Fvar_mode%3Ddebug (sign-in); its database holds none of its tables',
      asksDatabase: false,
    });
    // with its tables, a public page that sends visitors to sign in errs; unknown counts as not empty
    for (const databaseEmpty of [false, null]) {
      expect(judgeProbe(spip(answers, { databaseEmpty }))).toEqual({ status: 'error', code: 302, detail: 'redirects to /spip.php?page=login&url=%2Fspip.php%3Fvar_mode%3Ddebug (sign-in)', asksDatabase: false });
    }
  });

  it('a sign-in page reached from `/` (no health path) is up: many applications open on it', () => {
    expect(judgeProbe(spip([at('/', 302, '/spip.php?page=login'), at('/spip.php?page=login', 200)], { healthPath: false }))).toMatchObject({ status: 'up', code: 200, detail: 'redirects to /spip.php?page=login' });
  });

  it('4xx and 5xx err with their code; a 5xx of an empty database needs install', () => {
    expect(judgeProbe(spip([at('/spip.php', 503)]))).toMatchObject({ status: 'error', code: 503, detail: 'answers 503', asksDatabase: true });
    expect(judgeProbe(spip([at('/spip.php', 503)], { databaseEmpty: false }))).toMatchObject({ status: 'error', code: 503, detail: 'answers 503' });
    expect(judgeProbe(spip([at('/spip.php', 500)], { databaseEmpty: true }))).toMatchObject({ status: 'needs-install', code: 500, detail: 'answers 500; its database holds none of its tables' });
    expect(judgeProbe(spip([at('/spip.php', 404)]))).toEqual({ status: 'error', code: 404, detail: 'answers 404', asksDatabase: false });
    expect(judgeProbe(spip([at('/spip.php', 302, '/maintenance.html'), at('/maintenance.html', 503)], { databaseEmpty: false }))).toMatchObject({ status: 'error', code: 503, detail: 'answers 503 after redirecting to /maintenance.html' });
  });

  it('keeps its detail short', () => {
    const long = `/spip.php?page=login&url=${'x'.repeat(500)}`;
    expect(judgeProbe(spip([at('/spip.php', 302, long), at(long, 200)], { databaseEmpty: false })).detail!.length).toBe(200);
  });
});

describe('isUnwell', () => {
  it('down, erring and needing install need a look; up and unknown do not', () => {
    expect(['up', 'needs-install', 'error', 'down', 'unknown'].filter(isUnwell)).toEqual(['needs-install', 'error', 'down']);
  });
});
