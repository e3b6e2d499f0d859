import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config';
import { projectRoot } from '../project-root';
import { CLIENT_IP_HEADER, isPublicOrigin, isSafeMethod } from '../auth/request';
import { makeSocketDir, SOCKET_NAME } from './socket-dir';

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

export interface WebServer {
  /** Stops listening; requests still running get 2 s to end. */
  close(): Promise<void>;
}

export interface FrontSettings {
  hostname: string;
  port: number;
  socketPath: string;
  trustProxy: boolean;
  clientIpHeader: string;
  root: string;
  serveStatic: boolean;
}

/** How long a closing front waits for its thread to end by itself. */
const CLOSE_WAIT_MS = 3000;

/** The front thread (lib/server/front-thread.cjs), once it listens: rejects with the listening error (a port in use). */
export function startFront(settings: FrontSettings, onLost: (why: string) => void): Promise<WebServer> {
  const thread = new Worker(path.join(projectRoot, 'lib', 'server', 'front-thread.cjs'), { workerData: settings });
  let closing = false;
  let listening = false;
  let exited = false;
  let failure = '';
  const ended = new Promise<void>((resolve) => thread.once('exit', () => ((exited = true), resolve())));
  const close = async () => {
    closing = true;
    if (exited) return;
    thread.on('message', (m: { type: string }) => m.type === 'closed' && void thread.terminate());
    thread.postMessage('close');
    // Its connections get 2 s to end (front-thread.cjs); a thread still there a moment later is ended.
    const late = setTimeout(() => void thread.terminate(), CLOSE_WAIT_MS);
    await ended;
    clearTimeout(late);
  };
  return new Promise((resolve, reject) => {
    thread.on('message', (m: { type: string; message?: string; code?: string }) => {
      if (m.type === 'listening') {
        listening = true;
        resolve({ close });
      } else if (m.type === 'warning') {
        console.error(`The dashboard's front: ${m.message}`);
      } else if (m.type === 'error') {
        closing = true;
        const why = m.code === 'EADDRINUSE' ? 'another program listens there: stop it, or choose another port with PORT' : m.message;
        reject(Object.assign(new Error(`The dashboard cannot listen on ${settings.hostname}:${settings.port}: ${why}.`), { code: m.code }));
        void thread.terminate();
      }
    });
    thread.on('error', (err) => {
      failure = `: ${err.message}`;
      reject(err);
    });
    thread.on('exit', (code) => {
      if (closing) return;
      if (listening) onLost(`exit code ${code}${failure}`);
      else reject(new Error(`the dashboard's front thread ended before it listened (exit code ${code})`));
    });
  });
}

/**
 * Serves the dashboard: Next in this process (so the worker runs beside it), listening on a
 * private Unix socket, and a front thread on the public address that serves the static files
 * itself and hands Next everything else with the client's address, read from its own socket (no
 * client can forge it: only the front reaches Next's socket).
 */
export async function startWebServer(cfg: Config, opts: { dev?: boolean } = {}): Promise<WebServer> {
  // next-auth builds its redirects from NEXTAUTH_URL: the public URL, never a request's Host.
  process.env.NEXTAUTH_URL = cfg.publicUrl;
  // Loaded here, not at the top: the commands that share this module's importers (`mutu jobs`
  // imports `mutu worker`'s code) would load Next's server (a few hundred ms) for nothing.
  const { default: next } = await import('next');
  const app = next({ dev: !!opts.dev, dir: projectRoot, hostname: cfg.hostname, port: cfg.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const inner = http.createServer((req, res) => {
    if (refusedForeignOrigin(req, res, cfg.publicUrl)) return;
    void handle(req, res);
  });
  const socketDir = await makeSocketDir();
  const socketPath = path.join(socketDir, SOCKET_NAME);
  // Removed on the way out too: the development server ends the process itself on a signal.
  const removeSocketDir = () => fs.rmSync(socketDir, { recursive: true, force: true });
  process.once('exit', removeSocketDir);
  // Idle connections are the front's to close: closed here too, one could be reused by the
  // front at the instant it closes, and its request would fail.
  inner.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    inner.once('error', reject);
    inner.listen(socketPath, resolve);
  });
  const closeInner = async () => {
    await new Promise((r) => {
      inner.close(r);
      inner.closeAllConnections();
    });
    process.off('exit', removeSocketDir);
    removeSocketDir();
  };
  const settings: FrontSettings = {
    hostname: cfg.hostname,
    port: cfg.port,
    socketPath,
    trustProxy: cfg.trustProxy,
    clientIpHeader: CLIENT_IP_HEADER,
    root: projectRoot,
    // The development server rebuilds its assets as files change: Next serves them there.
    serveStatic: !opts.dev,
  };
  let front: WebServer;
  let stopping = false;
  // A front thread that dies (it should not) is started again: the worker beside it keeps running jobs.
  const restart = (why: string) => {
    if (stopping) return;
    console.error(`The dashboard's front thread stopped (${why}): starting it again.`);
    const again = startFront(settings, restart).then(
      (started) => (stopping ? started.close() : void (front = started)),
      (err: Error) => console.error(`The dashboard could not listen again: ${err.message}`),
    );
    // Closed meanwhile: it waits for the new thread, and closes it.
    front = { close: () => again };
  };
  try {
    front = await startFront(settings, restart);
  } catch (err) {
    await closeInner();
    throw err;
  }
  return {
    async close() {
      stopping = true;
      await front.close();
      await closeInner();
    },
  };
}
