import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILES } from '@/lib/domain/profiles';
import { isSecretPath, secretFilesToRestore, secretsByDefault } from '@/lib/domain/secret-files';
import { exportFileNames, manifestSchema } from '@/lib/exports/format';

const sha = 'a'.repeat(64);
const manifest = (files: unknown[]) => ({
  mutu: 1,
  host: 'blog.example.org',
  profile: 'spip',
  engine: 'sqlite',
  tablePrefix: 'spip',
  uploads: 'IMG',
  created: '2026-12-01T10:00:00.000Z',
  format: 'tar.gz',
  files: [{ kind: 'sql', name: 'a.sql.gz', size: 1, sha256: sha }, { kind: 'files', name: 'a-IMG.tar.gz', size: 1, sha256: sha }, ...files],
});

describe("a site's secret files", () => {
  it('are named by the profiles: SPIP has its keys in config/, the others none', () => {
    expect(PROFILES.spip.secretFiles).toEqual(['config/cles.php']);
    expect(PROFILES.moodle.secretFiles).toEqual([]);
    expect(PROFILES.generic.secretFiles).toEqual([]);
    for (const name of PROFILE_NAMES) for (const f of PROFILES[name].secretFiles) expect(isSecretPath(f), f).toBe(true);
  });

  it('are plain paths inside config/', () => {
    for (const ok of ['config/cles.php', 'config/keys/site.key']) expect(isSecretPath(ok), ok).toBe(true);
    for (const bad of ['cles.php', 'config', 'config/', '/config/cles.php', 'config/../IMG/x.php', 'config/./cles.php', 'IMG/cles.php', 'config//cles.php', 'config/cl\\es.php', 'config/..', 'config/a b.php']) {
      expect(isSecretPath(bad), bad).toBe(false);
    }
  });

  it("go in an admin's export unless they say otherwise, not in a webmaster's", () => {
    expect(secretsByDefault('admin')).toBe(true);
    expect(secretsByDefault('webmaster')).toBe(false);
  });

  it("restore only what the target's profile names, relative to config/", () => {
    expect(secretFilesToRestore(PROFILES.spip, ['config/cles.php'])).toEqual(['cles.php']);
    expect(secretFilesToRestore(PROFILES.spip, [])).toEqual([]);
    expect(() => secretFilesToRestore(PROFILES.spip, ['config/connect.php'])).toThrow(/has no such file/);
    expect(() => secretFilesToRestore(PROFILES.spip, ['config/../config/cles.php'])).toThrow(/has no such file/);
    expect(() => secretFilesToRestore(PROFILES.generic, ['config/cles.php'])).toThrow(/generic site has no such file \(none\)/);
    expect(() => secretFilesToRestore(PROFILES.spip, ['config/cles.php', 'config/cles.php'])).toThrow(/twice/);
  });

  it('are a third export file, compressed as the dump is', () => {
    const at = new Date('2026-12-01T10:05:00Z');
    expect(exportFileNames('blog.example.org', at, 'tar.gz').secrets).toBe('blog.example.org-20261201-1005-secrets.tar.gz');
    expect(exportFileNames('blog.example.org', at, 'zstd').secrets).toBe('blog.example.org-20261201-1005-secrets.tar.zst');
    expect(exportFileNames('blog.example.org', at, 'zip').secrets).toBe('blog.example.org-20261201-1005-secrets.tar.gz');
  });

  it('are listed in the manifest by the secrets archive alone, as paths inside config/', () => {
    const secrets = { kind: 'secrets', name: 'a-secrets.tar.gz', size: 1, sha256: sha, secretFiles: ['config/cles.php'] };
    expect(manifestSchema.parse(manifest([secrets])).files[2]).toEqual(secrets);
    expect(manifestSchema.safeParse(manifest([])).success).toBe(true); // an export without them, or from before them
    expect(manifestSchema.safeParse(manifest([{ ...secrets, secretFiles: undefined }])).success).toBe(false);
    expect(manifestSchema.safeParse(manifest([{ ...secrets, secretFiles: [] }])).success).toBe(false);
    expect(manifestSchema.safeParse(manifest([{ ...secrets, secretFiles: ['config/../../etc/passwd'] }])).success).toBe(false);
    expect(manifestSchema.safeParse(manifest([{ ...secrets, secretFiles: ['/etc/passwd'] }])).success).toBe(false);
    const sql = manifest([]).files[0] as Record<string, unknown>;
    expect(manifestSchema.safeParse({ ...manifest([]), files: [{ ...sql, secretFiles: ['config/cles.php'] }] }).success).toBe(false);
  });
});
