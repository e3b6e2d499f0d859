import { describe, expect, it } from 'vitest';
import { parseCommandTemplate, renderTemplate, showTemplate, templateFromJson } from '@/lib/platforms/command-template';
import { waveOf } from '@/lib/upgrades/run-plan';

describe('upgrade command templates', () => {
  it('splits like a shell would, without expanding anything', () => {
    expect(parseCommandTemplate(`php "{platform_dir}/bin/up grade.php" --host={host} 'it''s' a\\ b $HOME *.php`)).toEqual([
      'php', '{platform_dir}/bin/up grade.php', '--host={host}', 'its', 'a b', '$HOME', '*.php',
    ]);
    expect(parseCommandTemplate(`sh -c "echo \\"x\\""`)).toEqual(['sh', '-c', 'echo "x"']);
  });

  it('refuses what would not mean what it seems', () => {
    expect(() => parseCommandTemplate('')).toThrow(/empty/);
    expect(() => parseCommandTemplate('up.sh > log')).toThrow(/shell operator/);
    expect(() => parseCommandTemplate('up.sh && rm -rf /')).toThrow(/shell operator/);
    expect(() => parseCommandTemplate('up.sh {db_password}')).toThrow(/unknown placeholder \{db_password\}/);
    expect(() => parseCommandTemplate('up.sh "open')).toThrow(/unclosed double quote/);
    expect(() => parseCommandTemplate('{host}/bin/x')).toThrow(/program to run cannot come from the site host/);
  });

  it('refuses shell operators even stuck to a word, pointing to a script, instead of passing them as arguments', () => {
    for (const line of ['php a.php;', 'up.sh;rm -rf /', 'a.php|tee log', 'up.sh>log', 'up.sh 2>&1', 'a&&b', 'up.sh &', '(up.sh)']) {
      expect(() => parseCommandTemplate(line), line).toThrow(/shell operator.*put the pipeline, redirection or sequence in a script/);
    }
    expect(() => parseCommandTemplate('up.sh # note')).toThrow(/comment in a shell: quote the #/);
    expect(parseCommandTemplate(`up.sh '#1' "a;b" a\\;b 'x|y'`)).toEqual(['up.sh', '#1', 'a;b', 'a;b', 'x|y']);
    expect(() => parseCommandTemplate('up.sh ${HOME}')).toThrow(/would be expanded by a shell.*write the value itself/);
    expect(parseCommandTemplate(`up.sh '$HOME' "$HOME"`)).toEqual(['up.sh', '$HOME', '$HOME']);
    expect(() => parseCommandTemplate('up.sh x\\')).toThrow(/lone backslash/);
    expect(() => parseCommandTemplate("up.sh 'open")).toThrow(/unclosed single quote/);
  });

  it('substitutes inside each argument: a value never splits or joins arguments', () => {
    const args = parseCommandTemplate('{php} {mutu_scripts}/cli.php {platform_dir}/up --site {site_dir} --from={old_platform_dir} {host} --url={url}');
    const values = { host: 'a.example.org', site_dir: '/farm/sites/a b; rm -rf /', platform_dir: '/p/v2', old_platform_dir: '/p/v1', url: 'http://a.example.org', php: 'php8.2', mutu_scripts: '/etc/nginx/mutu/php' };
    expect(renderTemplate(args, values)).toEqual(['php8.2', '/etc/nginx/mutu/php/cli.php', '/p/v2/up', '--site', '/farm/sites/a b; rm -rf /', '--from=/p/v1', 'a.example.org', '--url=http://a.example.org']);
    expect(() => parseCommandTemplate('{url}/x')).toThrow(/cannot come from the site host/);
  });

  it('shows a template as a line that parses back to the same arguments', () => {
    const args = ['php', '{platform_dir}/up grade.php', "it's", '', '--host={host}'];
    expect(parseCommandTemplate(showTemplate(args))).toEqual(args);
    expect(templateFromJson(args)).toEqual(args);
    expect(() => templateFromJson({ a: 1 })).toThrow(/not an argument list/);
  });
});

describe('waves of a run', () => {
  it('is one canary, then the share, then the rest', () => {
    expect(Array.from({ length: 11 }, (_, i) => waveOf(i, 11, 20))).toEqual([0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(Array.from({ length: 3 }, (_, i) => waveOf(i, 3, 1))).toEqual([0, 1, 2]);
    expect(waveOf(0, 1, 10)).toBe(0);
  });
});
