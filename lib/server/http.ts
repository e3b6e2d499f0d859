import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import type { Config } from '../config';
import { CLIENT_IP_HEADER } from '../auth/request';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The client's address: the socket's, or the proxy's last hop when a proxy is trusted. */
function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) {
    return forwarded.split(',').map((s) => s.trim()).filter(Boolean).pop() ?? 'unknown';
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/**
 * Serves the dashboard with Next in this process, so the worker runs beside it and
 * every request carries a client address no client can forge.
 */
export async function startWebServer(cfg: Config, opts: { dev?: boolean } = {}): Promise<http.Server> {
  // next-auth builds its redirects from NEXTAUTH_URL: the public URL, never a request's Host.
  process.env.NEXTAUTH_URL = cfg.publicUrl;
  const app = next({ dev: !!opts.dev, dir: projectRoot, hostname: cfg.hostname, port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientAddress(req, cfg.trustProxy);
    if (!cfg.trustProxy) {
      delete req.headers['x-forwarded-host'];
      delete req.headers['x-forwarded-for'];
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.hostname, resolve);
  });
  return server;
}
