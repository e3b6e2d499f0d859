import http from 'node:http';
import type { Config } from '../config';
import { projectRoot } from '../project-root';
import { CLIENT_IP_HEADER, isPublicOrigin, isSafeMethod } from '../auth/request';


/** The client's address: the socket's, or the proxy's last hop when a proxy is trusted. */
function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) {
    return forwarded.split(',').map((s) => s.trim()).filter(Boolean).pop() ?? 'unknown';
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

const FOREIGN_ORIGIN = 'This request must come from a Mutu page (foreign Origin).';

/**
 * Answers 403 to a request that would change state and says it comes from another site.
 * Next's own check of server actions throws on those (a 500 for a form posted without
 * JavaScript); route handlers, next-auth's included, would refuse them anyway. A request
 * without Origin goes on: the handlers and actions refuse it where it matters.
 */
function refusedForeignOrigin(req: http.IncomingMessage, res: http.ServerResponse, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (isSafeMethod(req.method) || origin === undefined || isPublicOrigin(origin, publicUrl)) return false;
  const api = (req.url ?? '').startsWith('/api/');
  const body = api ? JSON.stringify({ error: FOREIGN_ORIGIN }) : `403 Forbidden: ${FOREIGN_ORIGIN}\n`;
  res.writeHead(403, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  req.resume(); // the body is not read: drain it so the connection can be reused
  return true;
}

/**
 * Serves the dashboard with Next in this process, so the worker runs beside it and
 * every request carries a client address no client can forge.
 */
export async function startWebServer(cfg: Config, opts: { dev?: boolean } = {}): Promise<http.Server> {
  // next-auth builds its redirects from NEXTAUTH_URL: the public URL, never a request's Host.
  process.env.NEXTAUTH_URL = cfg.publicUrl;
  // Loaded here, not at the top: the commands that share this module's importers (`mutu jobs`
  // imports `mutu worker`'s code) would load Next's server (a few hundred ms) for nothing.
  const { default: next } = await import('next');
  const app = next({ dev: !!opts.dev, dir: projectRoot, hostname: cfg.hostname, port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientAddress(req, cfg.trustProxy);
    if (!cfg.trustProxy) {
      delete req.headers['x-forwarded-host'];
      delete req.headers['x-forwarded-for'];
    }
    if (refusedForeignOrigin(req, res, cfg.publicUrl)) return;
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.hostname, resolve);
  });
  return server;
}
