import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mysqlNativeHash, postgresScramVerifier, scramKeys } from '@/lib/crypto/db-password-hash';

describe('mysqlNativeHash', () => {
  it("gives what MariaDB's PASSWORD() gives", () => {
    // SELECT PASSWORD('x'), PASSWORD('pencil'), PASSWORD('S3cr''et\\x') on MariaDB 10.11
    expect(mysqlNativeHash('x')).toBe('*B69027D44F6E5EDC07F1AEAD1477967B16F28227');
    expect(mysqlNativeHash('pencil')).toBe('*7614BE58636C810A9D8970A50B3B2A78450413E4');
    expect(mysqlNativeHash("S3cr'et\\x")).toBe('*6BEE01A4816F0E9EE84C04752846C147C88D0917');
  });
});

describe('postgresScramVerifier', () => {
  it('gives the verifier PostgreSQL 15 stored for the same password and salt', () => {
    // CREATE ROLE r PASSWORD 'pencil'; SELECT rolpassword FROM pg_authid WHERE rolname = 'r'
    const stored = 'SCRAM-SHA-256$4096:F9reqzIEA91GXErH7/mXlA==$WmPK8Mwe+yyLjWnx8r5PmLExwv2iBfClV/ZKrpLsWgE=:20PTnGqDQR/FBrVmG9KFC9urh6VlDnPmVm5bUDfyqo4=';
    expect(postgresScramVerifier('pencil', Buffer.from('F9reqzIEA91GXErH7/mXlA==', 'base64'))).toBe(stored);
  });

  it("proves RFC 7677's exchange: the client proof and server signature of its example", () => {
    const { clientKey, storedKey, serverKey } = scramKeys('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const hmac = (key: Buffer) => crypto.createHmac('sha256', key).update(authMessage).digest();
    const clientSignature = hmac(storedKey);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature[i]!));
    expect(proof.toString('base64')).toBe('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(hmac(serverKey).toString('base64')).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('salts each verifier anew, and refuses a password beyond ASCII rather than hash it unlike PostgreSQL', () => {
    const a = postgresScramVerifier('same password');
    const b = postgresScramVerifier('same password');
    expect(a).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(() => postgresScramVerifier('mot de passe é')).toThrow(/must be ASCII/);
  });
});
