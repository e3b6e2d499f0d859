// The PHP-FPM versions of the machine are found by reading the PATH's folders. `mutu front
// status`, `mutu front sync` and `mutu doctor` ask for them several times per site: at 10,000
// sites, reading the folders each time took minutes (bench/README.md, "front").
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installedPhpVersions } from '@/lib/front/services';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the machine's PHP-FPM versions", () => {
  it('are read from the PATH once for a whole farm of sites, not once per site', () => {
    const versions = installedPhpVersions();
    const readdir = vi.spyOn(fs, 'readdirSync');
    for (let i = 0; i < 1000; i++) expect(installedPhpVersions()).toEqual(versions);
    expect(readdir).not.toHaveBeenCalled();
  });

  it('are read again a few seconds later (a version installed meanwhile shows), and a caller cannot change them', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const versions = installedPhpVersions();
    installedPhpVersions().push('9.9');
    expect(installedPhpVersions()).toEqual(versions);
    const readdir = vi.spyOn(fs, 'readdirSync');
    vi.setSystemTime(Date.now() + 60_000);
    expect(installedPhpVersions()).toEqual(versions);
    expect(readdir).toHaveBeenCalled();
  });
});
