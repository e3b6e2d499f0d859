import fs from 'node:fs';
import path from 'node:path';
import { acmeChallengeDir } from '../domain/front';
import { frontLayout } from '../front/settings';

/** An ACME token is base64url: nothing else becomes a file name. */
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

function tokenFile(token: string): string {
  if (!TOKEN.test(token)) throw new Error(`the CA sent a challenge token that is not base64url: ${JSON.stringify(token.slice(0, 80))}`);
  return path.join(acmeChallengeDir(frontLayout()), token);
}

/**
 * HTTP-01 answers, served by the front for every host of the farm from a folder of root's
 * outside the sites (no site can plant or read another's). The tokens are public by design:
 * readable by nginx's workers.
 */
export async function answerChallenge(token: string, keyAuthorization: string): Promise<void> {
  const file = tokenFile(token);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, keyAuthorization, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

export async function forgetChallenge(token: string): Promise<void> {
  fs.rmSync(tokenFile(token), { force: true });
}
