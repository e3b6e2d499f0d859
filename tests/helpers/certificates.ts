// Certificates made with openssl for tests: a CA of its own, and leaves for chosen names,
// keys and dates (in the past too, which `openssl x509` cannot do: `openssl ca` can).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function openssl(args: string[], cwd: string): string {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface TestCa {
  dir: string;
  /** the CA's certificate (PEM): what a client trusts */
  pem: string;
  /** a key (PEM) and a certificate for `names`, signed by the CA, valid between the dates given (default: from yesterday, for 30 days) */
  issue(opts: { names: string[]; key?: string; notBefore?: Date; notAfter?: Date }): { cert: string; key: string };
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
const newKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A CA in `dir` (made by the caller). */
export function testCa(dir: string): TestCa {
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  fs.mkdirSync(path.join(dir, 'issued'));
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    `[ca]
default_ca = test
[test]
dir = ${dir}
database = ${dir}/index.txt
serial = ${dir}/serial
new_certs_dir = ${dir}/issued
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
`,
  );
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', '/CN=Mutu test import CA'], dir);
  let n = 0;
  return {
    dir,
    pem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    issue({ names, key = newKey(), notBefore = new Date(Date.now() - 86_400_000), notAfter = new Date(Date.now() + 30 * 86_400_000) }) {
      const id = `leaf${++n}`;
      fs.writeFileSync(path.join(dir, `${id}.key`), key, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, `${id}.ext`), `[leaf]\nsubjectAltName=${names.map((x) => `DNS:${x}`).join(',')}\nbasicConstraints=CA:FALSE\n`);
      openssl(['req', '-new', '-key', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`], dir);
      openssl(['ca', '-config', 'ca.cnf', '-batch', '-notext', '-startdate', stamp(notBefore), '-enddate', stamp(notAfter), '-in', `${id}.csr`, '-out', `${id}.pem`, '-extfile', `${id}.ext`, '-extensions', 'leaf'], dir);
      return { cert: fs.readFileSync(path.join(dir, `${id}.pem`), 'utf8'), key };
    },
  };
}
