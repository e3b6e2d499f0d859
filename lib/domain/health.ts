import type { ProfileName } from './profiles';
import { formatWorkerLine } from './job-log-lines';

/**
 * What a site's last probe says. `needs-install`: it answers, but with its application's
 * installer, or with a sign-in or an error while its database holds none of its tables.
 */
export const HEALTH_STATUSES = ['up', 'needs-install', 'error', 'down', 'unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
export type ProbeStatus = Exclude<HealthStatus, 'unknown'>;

/** Statuses that need someone's look: the overview lists them, the list's filter shows them. */
export const UNWELL_STATUSES: HealthStatus[] = ['down', 'error', 'needs-install'];
export const isUnwell = (status: string): boolean => (UNWELL_STATUSES as string[]).includes(status);

/** Redirects a probe follows on the site before it calls the site erring. */
export const MAX_REDIRECTS = 5;

/**
 * Pages an application sends visitors to when it is not installed, and its sign-in pages,
 * matched against the path and query of where a probe ends. SPIP: its installer is
 * `ecrire/?exec=install`, its sign-in `spip.php?page=login` (where `/ecrire/` sends anyone
 * not signed in); Moodle: `install.php`, and `admin/index.php` where a fresh site sends
 * everyone; its sign-in under `/login/`.
 */
const PAGES: Record<ProfileName, { install: RegExp[]; login: RegExp[] }> = {
  spip: {
    install: [/^\/ecrire\/(index\.php)?\?(.*&)?exec=install(&|$)/, /^\/ecrire\/install(\.php)?(\/|\?|$)/],
    login: [/^\/(spip\.php)?\?(.*&)?page=login(&|$)/, /^\/ecrire\/(index\.php)?\?(.*&)?exec=login(&|$)/],
  },
  moodle: {
    install: [/^\/install\.php(\?|$)/, /^\/admin\/(index\.php)?(\?|$)/],
    login: [/^\/login\/(index\.php)?(\?|$)/],
  },
  generic: {
    install: [/^\/install(\.php)?(\/|\?|$)/],
    login: [/^\/(login|signin|sign-in)(\.php)?(\/|\?|$)/],
  },
};

/** Whether a page (path and query) is the application's installer or its sign-in page. */
export function pageKind(profile: string, pathAndQuery: string): 'install' | 'login' | null {
  const pages = PAGES[profile as ProfileName] ?? PAGES.generic;
  if (pages.install.some((r) => r.test(pathAndQuery))) return 'install';
  if (pages.login.some((r) => r.test(pathAndQuery))) return 'login';
  return null;
}

const bareHost = (h: string) => h.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');

/** One answer of a probe: the URL asked, its status code, and where it redirects (absolute). */
export interface ProbeAnswer {
  url: string;
  code: number;
  location?: string | null;
}

/** A redirect resolved against the URL that answered it; null when it is no URL. */
function redirectTarget(answer: ProbeAnswer): URL | null {
  if (!answer.location) return null;
  try {
    return new URL(answer.location, answer.url);
  } catch {
    return null;
  }
}

const pathOf = (u: URL) => `${u.pathname}${u.search}`;

type Step =
  | { next: string }
  | { stop: 'answered' | 'nowhere' | 'other-site' | 'same-page' | 'loop' | 'too-many'; target?: URL };

/**
 * What a probe does after its last answer. It follows a redirect only on the same site (its
 * host, with or without www., any port: the front answers for it with the site's Host), to
 * another page than the ones it asked, at most MAX_REDIRECTS times. A redirect to the same
 * page over https or under www. says where the site prefers to be: judged, not followed.
 */
function probeStep(host: string, answers: ProbeAnswer[]): Step {
  const last = answers.at(-1);
  if (!last || last.code < 300 || last.code >= 400) return { stop: 'answered' };
  const target = redirectTarget(last);
  if (!target || !/^https?:$/.test(target.protocol)) return { stop: 'nowhere' };
  if (bareHost(target.hostname) !== bareHost(host)) return { stop: 'other-site', target };
  const asked = new URL(last.url);
  if (pathOf(target) === pathOf(asked)) {
    const samePlace = target.protocol === asked.protocol && target.hostname === asked.hostname;
    return { stop: samePlace ? 'loop' : 'same-page', target };
  }
  if (answers.some((a) => pathOf(new URL(a.url)) === pathOf(target))) return { stop: 'loop', target };
  if (answers.length > MAX_REDIRECTS) return { stop: 'too-many', target };
  return { next: pathOf(target) };
}

/** The page (path and query) a probe asks next on the site, or null when it has its answer. */
export function nextProbePath(host: string, answers: ProbeAnswer[]): string | null {
  const step = probeStep(host, answers);
  return 'next' in step ? step.next : null;
}

export interface ProbeFacts {
  host: string;
  profile: string;
  /** the platform's health path was asked (a page that must answer to visitors), not `/` */
  healthPath: boolean;
  /** the answers, in order: the page asked, then each redirect followed */
  answers: ProbeAnswer[];
  /** why the last request got no answer (refused, timed out...) */
  noAnswer?: string;
  /** whether the site's database holds none of its tables; undefined: not asked yet, null: could not tell */
  databaseEmpty?: boolean | null;
}

export interface HealthVerdict {
  status: ProbeStatus;
  code: number | null;
  /** a short account for people: "redirects to /ecrire/?exec=install", "answers 503" */
  detail: string | null;
  /** the verdict depends on whether the site's database is empty: ask it, then judge again */
  asksDatabase: boolean;
}

const DETAIL_MAX = 200;
const short = (text: string) => (text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text);
// The details are lines of the log-line table: a page words them again in its reader's language.
const say = formatWorkerLine;

/**
 * What a probe's answers mean. 2xx: up. A redirect is judged by where it ends (the probe
 * followed it on the site): the application's installer is `needs-install`; a sign-in page
 * when the platform's health path was asked (a public page that sends visitors to sign in)
 * is not up: `needs-install` when the database is empty, else erring; a page that leaves
 * the site, or the same page over https or under www., is up. 4xx/5xx: erring with the code
 * (`needs-install` for a 5xx of an empty database: an application erring on its missing
 * tables). No answer: down.
 */
export function judgeProbe(f: ProbeFacts): HealthVerdict {
  const verdict = (status: ProbeStatus, code: number | null, detail: string | null, asksDatabase = false): HealthVerdict => ({
    status,
    code,
    detail: detail === null ? null : short(detail),
    asksDatabase,
  });
  const first = f.answers[0];
  const last = f.answers.at(-1);
  if (!first || !last) return verdict('down', null, f.noAnswer ?? say('healthNoAnswer'));
  // A page of the site as its path; anywhere else (another site, https) as its whole address.
  const where = (u: URL) => (bareHost(u.hostname) === bareHost(f.host) && u.protocol === new URL(first.url).protocol ? pathOf(u) : u.href);
  const step = probeStep(f.host, f.answers);
  if (f.noAnswer) return verdict('down', null, say('healthRedirectDead', { where: 'next' in step ? step.next : where(new URL(last.url)), detail: f.noAnswer }));
  if ('next' in step) return verdict('error', first.code, say('healthStopped'));

  const asked = () => f.answers.map((a) => pathOf(new URL(a.url))).join(' → ');
  switch (step.stop) {
    case 'nowhere':
      return verdict('error', last.code, say('healthNowhere', { nCode: String(last.code) }));
    case 'loop':
      return verdict('error', first.code, say('healthLoop', { path: `${asked()} → ${pathOf(step.target!)}` }));
    case 'too-many':
      return verdict('error', first.code, say('healthTooMany', { count: String(MAX_REDIRECTS), path: asked() }));
  }
  // Where the site sends its visitors: the page that answered last, or the one it points to.
  const landing = step.target ?? new URL(last.url);
  const redirected = f.answers.length > 1 || !!step.target;
  const to = where(landing);
  const kind = bareHost(landing.hostname) === bareHost(f.host) ? pageKind(f.profile, pathOf(landing)) : null;

  if (kind === 'install') return verdict('needs-install', first.code, say(redirected ? 'healthInstallerRedirect' : 'healthInstaller', { where: to }));
  if (kind === 'login' && redirected && f.healthPath) {
    if (f.databaseEmpty === undefined) return verdict('error', first.code, say('healthSignIn', { where: to }), true);
    return f.databaseEmpty ? verdict('needs-install', first.code, say('healthSignInEmpty', { where: to })) : verdict('error', first.code, say('healthSignIn', { where: to }));
  }
  if (!step.target && last.code >= 400) {
    const what = (empty: boolean) =>
      redirected ? say(empty ? 'healthCodeAfterEmpty' : 'healthCodeAfter', { nCode: String(last.code), where: to }) : say(empty ? 'healthCodeEmpty' : 'healthCode', { nCode: String(last.code) });
    if (last.code < 500) return verdict('error', last.code, what(false));
    if (f.databaseEmpty === undefined) return verdict('error', last.code, what(false), true);
    return f.databaseEmpty ? verdict('needs-install', last.code, what(true)) : verdict('error', last.code, what(false));
  }
  return verdict('up', last.code, redirected ? say('healthRedirects', { where: to }) : null);
}

/** The log line of a site that is not up ("b.example.org: error (503): answers 503"), from the table when it has one. */
export function healthLine(host: string, r: { status: string; code: number | null; detail: string | null }): string {
  if (r.detail && r.status === 'down' && !r.code) return formatWorkerLine('healthSiteDown', { host, detail: r.detail });
  if (r.detail && r.code && (r.status === 'error' || r.status === 'needs-install')) {
    return formatWorkerLine(r.status === 'error' ? 'healthSiteError' : 'healthSiteInstall', { host, nCode: String(r.code), detail: r.detail });
  }
  return `${host}: ${r.status}${r.code ? ` (${r.code})` : ''}${r.detail ? `: ${r.detail}` : ''}`;
}
