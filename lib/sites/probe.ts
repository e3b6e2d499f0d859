import http from 'node:http';
import https from 'node:https';
import type { Certificate } from '@prisma/client';
import type { TLSSocket } from 'node:tls';
import { config } from '../config';
import { frontLayout, frontProbeAddress } from '../front/settings';
import { siteTlsOf } from '../front/site-front';

export interface ProbeResult {
  status: 'up' | 'error' | 'down';
  code: number | null;
  latencyMs: number | null;
  error?: string;
  /** what was asked for, as visitors would type it */
  url: string;
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
export function probeSite(host: string, opts: { front?: string; scheme: 'http' | 'https'; timeoutMs: number; path?: string; pin?: string }): Promise<ProbeResult> {
  const [frontHost, frontPort] = opts.front ? splitHostPort(opts.front) : [host, undefined];
  const lib = opts.scheme === 'https' ? https : http;
  const started = performance.now();
  const url = `${opts.scheme}://${host}${opts.path ?? '/'}`;
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
        // Pinned: the front must present exactly the certificate Mutu installed (checked on
        // connect, below), whichever CA issued it; no other check is loosened.
        ...(opts.pin ? { rejectUnauthorized: false } : {}),
        // A fresh connection each time: one kept alive could reach a server process still
        // running the configuration from before a change this probe must see.
        agent: false,
      },
      (res) => {
        const latencyMs = Math.round(performance.now() - started);
        res.resume();
        res.destroy();
        resolve({ status: classify(res.statusCode ?? 0), code: res.statusCode ?? null, latencyMs, url });
      },
    );
    if (opts.pin) {
      req.on('socket', (socket) =>
        socket.once('secureConnect', () => {
          const served = (socket as TLSSocket).getPeerCertificate().fingerprint256;
          if (served !== opts.pin) req.destroy(new Error(`the front serves another certificate than the one installed (${served ?? 'none'})`));
        }),
      );
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs / 1000} s`)));
    req.on('error', (err) => resolve({ status: 'down', code: null, latencyMs: null, error: err.message || (err as NodeJS.ErrnoException).code, url }));
    req.end();
  });
}

function splitHostPort(front: string): [string, number | undefined] {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(front);
  return m ? [m[1]!, m[2] ? Number(m[2]) : undefined] : [front, undefined];
}

/**
 * Probes a site the way its visitors reach it. Through Mutu's front, a site with a
 * certificate answers plain HTTP with a redirect (which would pass for healthy whatever its
 * PHP does): it is probed over HTTPS, at the front's HTTPS address, pinned to its certificate.
 */
export function probeServedSite(site: { host: string; certificate: Certificate | null }, opts: { path?: string } = {}): Promise<ProbeResult> {
  const { health } = config();
  const tlsFront = !health.front && site.certificate && siteTlsOf(frontLayout(), site) ? frontProbeAddress({ tls: true }) : undefined;
  if (tlsFront) return probeSite(site.host, { front: tlsFront, scheme: 'https', timeoutMs: health.timeoutMs, path: opts.path, pin: site.certificate!.fingerprint });
  return probeSite(site.host, { ...health, front: probeFront(), path: opts.path });
}

/**
 * Where probes go: MUTU_HEALTH_FRONT when set, else the front Mutu drives once it is set up
 * (with each site's Host header); undefined: no front serves the sites, probe each at its host.
 */
export function probeFront(): string | undefined {
  return config().health.front ?? frontProbeAddress();
}
