import { db } from '../db/client';
import { frontStatus } from '../front/farm';
import { defaultPhpVersion, installedPhpVersions } from '../front/services';
import { errorText, fail, ok, warn, type CheckResult } from './check';

/** PHP versions installed, and platforms asking for one that is not. */
export async function checkPhpVersions(): Promise<CheckResult> {
  const installed = installedPhpVersions();
  const platforms = await db.platform.findMany({ where: { status: 'active' }, select: { name: true, phpVersion: true } });
  const missing = platforms.filter((p) => (p.phpVersion ? !installed.includes(p.phpVersion) : !installed.length));
  const list = installed.length ? `installed: ${installed.join(', ')} (default ${defaultPhpVersion()})` : 'no PHP-FPM installed';
  if (missing.length) {
    return fail('PHP versions', `${list}; ${missing.map((p) => `${p.name} wants PHP ${p.phpVersion ?? '(any)'}`).join(', ')}: apt-get install php<version>-fpm, or move its sites to another platform`);
  }
  return installed.length ? ok('PHP versions', list) : warn('PHP versions', `${list}: the front needs one to serve sites (apt-get install php8.2-fpm)`);
}

/** The front: set up, running, including the farm, in sync with the registry. */
export async function checkFront(): Promise<CheckResult> {
  try {
    const s = await frontStatus();
    if (!s.setUp) return warn('front', 'not set up: sites are not served yet. Run `mutu front setup` as root (nginx and PHP-FPM serve every site, each as its own user)');
    const problems: string[] = [];
    if (!s.nginx.running) problems.push('nginx is not running');
    if (s.nginx.included === false) problems.push(`nginx does not include ${s.layout.nginxDir}/farm.conf`);
    const stopped = s.groups.filter((g) => g.expected && !g.running);
    for (const g of stopped) problems.push(`${g.label} not running (${g.hint})`);
    for (const g of s.groups.filter((x) => x.reloadPending)) problems.push(`${g.label}: ${g.hint}`);
    const misplaced = s.groups.reduce((n, g) => n + g.misplaced.length, 0);
    if (misplaced) problems.push(`${misplaced} PHP-FPM pools in another group than theirs (mutu front sync moves them)`);
    if (s.lookup.used && s.lookup.used !== s.lookup.wanted) problems.push(s.lookup.advice!);
    if (!s.inSync) problems.push(`${s.differing.length + s.stray.length} differences with the registry (mutu front status; mutu front sync)`);
    const groups = s.groups.some((g) => g.group) ? ` (PHP-FPM: ${s.groups.filter((g) => g.expected).length} groups)` : '';
    if (problems.length) return fail('front', problems.join('; '));
    const lookup = s.lookup.used === 'files' ? 'lookup: a file per host (no reload per change)' : 'lookup: map';
    const served = `${s.sites} sites served on ${s.layout.listen.join(', ')}, in sync${groups}; ${lookup}`;
    return s.lookup.advice ? warn('front', `${served}; ${s.lookup.advice}`) : ok('front', served);
  } catch (err) {
    return fail('front', errorText(err));
  }
}
