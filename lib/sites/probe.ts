import http from 'node:http';
import https from 'node:https';
import { config } from '../config';
import { frontProbeAddress } from '../front/settings';

export interface ProbeResult {
  status: 'up' | 'error' | 'down';
  code: number | null;
  latencyMs: number | null;
  error?: string;
}

/** Below 400 the site answers; 4xx/5xx it errs; no answer at all, it is down. */
export function classify(code: number): ProbeResult['status'] {
  return code < 400 ? 'up' : 'error';
}

/**
 * Requests `/` of a site, either at its own host or through a front address (the farm's
 * web server) with the site's Host header, and times the first byte of the answer.
 * Redirects are not followed: a 301 is an answer.
 */
export function probeSite(host: string, opts: { front?: string; scheme: 'http' | 'https'; timeoutMs: number; path?: string }): Promise<ProbeResult> {
  const [frontHost, frontPort] = opts.front ? splitHostPort(opts.front) : [host, undefined];
  const lib = opts.scheme === 'https' ? https : http;
  const started = performance.now();
  return new Promise((resolve) => {
    const req = lib.request(
      {
        host: frontHost,
        port: frontPort ?? (opts.scheme === 'https' ? 443 : 80),
        path: opts.path ?? '/',
        method: 'GET',
        headers: { Host: host, 'User-Agent': 'Mutu health probe' },
        servername: host, // TLS: ask the front for the site's certificate
        timeout: opts.timeoutMs,
        // A fresh connection each time: one kept alive could reach a server process still
        // running the configuration from before a change this probe must see.
        agent: false,
      },
      (res) => {
        const latencyMs = Math.round(performance.now() - started);
        res.resume();
        res.destroy();
        resolve({ status: classify(res.statusCode ?? 0), code: res.statusCode ?? null, latencyMs });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs / 1000} s`)));
    req.on('error', (err) => resolve({ status: 'down', code: null, latencyMs: null, error: err.message || (err as NodeJS.ErrnoException).code }));
    req.end();
  });
}

function splitHostPort(front: string): [string, number | undefined] {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(front);
  return m ? [m[1]!, m[2] ? Number(m[2]) : undefined] : [front, undefined];
}

/**
 * Where probes go: MUTU_HEALTH_FRONT when set, else the front Mutu drives once it is set up
 * (with each site's Host header); undefined: no front serves the sites, probe each at its host.
 */
export function probeFront(): string | undefined {
  return config().health.front ?? frontProbeAddress();
}
