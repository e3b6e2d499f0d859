import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { farmConfFile, type FrontLayout } from '../domain/front';

/** Where the front's parts are, from Mutu's configuration. */
export function frontLayout(): FrontLayout {
  const c = config();
  return {
    farmRoot: path.resolve(c.farmRoot),
    nginxDir: c.front.nginxDir,
    listen: c.front.listen,
    listenTls: c.front.listenTls,
    runDir: c.front.runDir,
    webUser: c.front.webUser,
    bootstrapDir: path.join(c.front.nginxDir, 'php'),
  };
}

/** PHP-FPM's folder for a version: its php-fpm.conf and the pool.d/ Mutu writes into. */
export function phpFpmPaths(version: string) {
  const dir = config().front.phpDir.replaceAll('{version}', version);
  return { dir, conf: path.join(dir, 'php-fpm.conf'), pools: path.join(dir, 'pool.d') };
}

/** The front is set up once `mutu front setup` has written farm.conf; until then nothing is served and nothing is written. */
export function frontIsSetUp(): boolean {
  return fs.existsSync(farmConfFile(frontLayout()));
}

/** The address health probes go through once the front serves the sites: its first listen address (`tls`: its first HTTPS one). */
export function frontProbeAddress(opts: { tls?: boolean } = {}): string | undefined {
  const listen = (opts.tls ? config().front.listenTls : config().front.listen)[0];
  if (!listen || !frontIsSetUp()) return undefined;
  return /^\d+$/.test(listen) ? `127.0.0.1:${listen}` : listen.replace(/^0\.0\.0\.0:/, '127.0.0.1:').replace(/^\[::\]:/, '[::1]:');
}
