import { describe, expect, it } from 'vitest';
import { parseUpgradeTemplate, renderTemplate, showTemplate, templateFromJson } from '@/lib/platforms/upgrade-command';
import { waveOf } from '@/lib/upgrades/run-plan';

describe('upgrade command templates', () => {
  it('splits like a shell would, without expanding anything', () => {
    expect(parseUpgradeTemplate(`php "{platform_dir}/bin/up grade.php" --host={host} 'it''s' a\\ b $HOME *.php`)).toEqual([
      'php', '{platform_dir}/bin/up grade.php', '--host={host}', 'its', 'a b', '$HOME', '*.php',
    ]);
    expect(parseUpgradeTemplate(`sh -c "echo \\"x\\""`)).toEqual(['sh', '-c', 'echo "x"']);
  });

  it('refuses what would not mean what it seems', () => {
    expect(() => parseUpgradeTemplate('')).toThrow(/empty/);
    expect(() => parseUpgradeTemplate('up.sh > log')).toThrow(/shell operator/);
    expect(() => parseUpgradeTemplate('up.sh && rm -rf /')).toThrow(/shell operator/);
    expect(() => parseUpgradeTemplate('up.sh {db_password}')).toThrow(/unknown placeholder \{db_password\}/);
    expect(() => parseUpgradeTemplate('up.sh "open')).toThrow(/unclosed double quote/);
    expect(() => parseUpgradeTemplate('{host}/bin/x')).toThrow(/program to run cannot come from the site host/);
  });

  it('substitutes inside each argument: a value never splits or joins arguments', () => {
    const args = parseUpgradeTemplate('{platform_dir}/up --site {site_dir} --from={old_platform_dir} {host}');
    const values = { host: 'a.example.org', site_dir: '/farm/sites/a b; rm -rf /', platform_dir: '/p/v2', old_platform_dir: '/p/v1' };
    expect(renderTemplate(args, values)).toEqual(['/p/v2/up', '--site', '/farm/sites/a b; rm -rf /', '--from=/p/v1', 'a.example.org']);
  });

  it('shows a template as a line that parses back to the same arguments', () => {
    const args = ['php', '{platform_dir}/up grade.php', "it's", '', '--host={host}'];
    expect(parseUpgradeTemplate(showTemplate(args))).toEqual(args);
    expect(templateFromJson(JSON.stringify(args))).toEqual(args);
    expect(() => templateFromJson('{"a":1}')).toThrow(/not an argument list/);
  });
});

describe('waves of a run', () => {
  it('is one canary, then the share, then the rest', () => {
    expect(Array.from({ length: 11 }, (_, i) => waveOf(i, 11, 20))).toEqual([0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(Array.from({ length: 3 }, (_, i) => waveOf(i, 3, 1))).toEqual([0, 1, 2]);
    expect(waveOf(0, 1, 10)).toBe(0);
  });
});
