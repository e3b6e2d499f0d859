// Real SPIP releases for tests (tests/helpers/spip-release.ts), removed after the file's tests.
import fs from 'node:fs';
import { afterAll } from 'vitest';
import { unpackSpipRelease, type SpipVersion } from './spip-release';

export { spipUnavailable, type SpipVersion } from './spip-release';

const unpacked: string[] = [];
afterAll(() => {
  for (const d of unpacked.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A SPIP release unpacked in a fresh folder every site's user can read, ready to be a platform. */
export function unpackSpip(version: SpipVersion): string {
  const dir = unpackSpipRelease(version);
  unpacked.push(dir);
  return dir;
}
