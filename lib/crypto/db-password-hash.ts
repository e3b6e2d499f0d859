import crypto from 'node:crypto';

/*
 * What database servers store instead of a password, computed here so that the statements
 * creating or changing an account carry the hash and never the password: a server's
 * statement log (MariaDB's general log, PostgreSQL's log_statement) then holds no secret.
 */

/** MariaDB/MySQL `mysql_native_password`: `*` and the upper-case hex of SHA1(SHA1(password)), as `PASSWORD()` gives. */
export function mysqlNativeHash(password: string): string {
  const inner = crypto.createHash('sha1').update(password, 'utf8').digest();
  return `*${crypto.createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

export const SCRAM_ITERATIONS = 4096;

const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();

/** The keys of RFC 5802 (SCRAM) with SHA-256 (RFC 7677) for one password and salt. */
export function scramKeys(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS) {
  const salted = crypto.pbkdf2Sync(saslPrepAscii(password), salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { clientKey, storedKey: crypto.createHash('sha256').update(clientKey).digest(), serverKey: hmac(salted, 'Server Key') };
}

/**
 * PostgreSQL's SCRAM-SHA-256 verifier, `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
 * (base64), which `CREATE ROLE ... PASSWORD` and `ALTER ROLE ... PASSWORD` store as given.
 */
export function postgresScramVerifier(password: string, salt: Buffer = crypto.randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const { storedKey, serverKey } = scramKeys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * PostgreSQL runs a password through SASLprep (RFC 4013) before hashing it. For ASCII text
 * SASLprep changes nothing (and where it would refuse, control characters, PostgreSQL
 * hashes the raw bytes: the same thing), so ASCII is hashed as it is. Beyond ASCII the
 * mapping and normalisation rules apply, which this does not implement: refused, rather
 * than a verifier PostgreSQL would not match. Mutu's generated passwords are ASCII.
 */
function saslPrepAscii(password: string): string {
  if (!/^[\x00-\x7f]*$/.test(password)) {
    throw new Error('a PostgreSQL password to hash must be ASCII: give the account a generated password (mutu sites db-password)');
  }
  return password;
}

/** Whether a stored SCRAM-SHA-256 verifier is this password's (its salt and iterations reused). */
export function scramVerifierMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  const { storedKey } = scramKeys(password, Buffer.from(m[2]!, 'base64'), Number(m[1]));
  const expected = Buffer.from(m[3]!, 'base64');
  return expected.length === storedKey.length && crypto.timingSafeEqual(expected, storedKey);
}
