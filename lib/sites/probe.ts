import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { config } from '../config';
import { judgeProbe, nextProbePath, type HealthVerdict, type ProbeAnswer, type ProbeFacts } from '../domain/health';
import { frontProbeAddress } from '../front/settings';

export interface ProbeOptions {
  front?: string;
  scheme: 'http' | 'https';
  timeoutMs: number;
  /** the platform's health path; `/` when it has none */
  path?: string;
  /** the site's application (a platform's profile): which pages are its installer and its sign-in */
  profile?: string;
  /**
   * HTTPS: the sha256 fingerprint of the certificate the front must present (the one Mutu
   * installed), checked instead of a chain to a trusted root, whichever CA issued it
   */
  pin?: string;
}

export interface ProbeResult extends Omit<HealthVerdict, 'asksDatabase'> {
  latencyMs: number | null;
  /** why the site did not answer */
  error?: string;
}

/** What the probe saw, before anything else is asked to judge it (see judgeProbe). */
export interface ProbeSeen {
  facts: ProbeFacts;
  latencyMs: number | null;
}

type Once = { code: number; location: string | null } | { error: string };

/** One GET of a page, at the front with the site's Host (or at the site itself), to the first byte of its answer. */
function askOnce(host: string, urlPath: string, opts: ProbeOptions): Promise<Once> {
  const [frontHost, frontPort] = opts.front ? splitHostPort(opts.front) : [host, undefined];
  const lib = opts.scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    const req = lib.request(
      {
        host: frontHost,
        port: frontPort ?? (opts.scheme === 'https' ? 443 : 80),
        path: urlPath,
        method: 'GET',
        headers: { Host: host, 'User-Agent': 'Mutu health probe' },
        servername: host, // TLS: ask the front for the site's certificate
        timeout: opts.timeoutMs,
        ...(opts.pin ? { rejectUnauthorized: false } : {}),
        // A fresh connection each time: one kept alive could reach a server process still
        // running the configuration from before a change this probe must see.
        agent: false,
      },
      (res) => {
        res.resume();
        res.destroy();
        const location = res.headers.location;
        resolve({ code: res.statusCode ?? 0, location: typeof location === 'string' ? location : null });
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
    req.on('error', (err) => resolve({ error: err.message || (err as NodeJS.ErrnoException).code || 'no answer' }));
    req.end();
  });
}

/**
 * Asks a site its health path (or `/`), following its redirects on the site itself through
 * the same front with the same Host (lib/domain/health.ts says which and how far), and
 * times the whole way to the last answer. What it saw is judged by judgeProbe.
 */
export async function probeAnswers(host: string, opts: ProbeOptions): Promise<ProbeSeen> {
  const answers: ProbeAnswer[] = [];
  const started = performance.now();
  let next: string | null = opts.path ?? '/';
  let noAnswer: string | undefined;
  while (next !== null) {
    const r = await askOnce(host, next, opts);
    if ('error' in r) {
      noAnswer = r.error;
      break;
    }
    answers.push({ url: `${opts.scheme}://${host}${next}`, code: r.code, location: r.location });
    next = nextProbePath(host, answers);
  }
  return {
    facts: { host, profile: opts.profile ?? 'generic', healthPath: !!opts.path && opts.path !== '/', answers, noAnswer },
    latencyMs: noAnswer ? null : Math.round(performance.now() - started),
  };
}

/**
 * Probes a site and judges its answers from HTTP alone: an answer that depends on whether
 * the site's database is empty is judged as if it were not (lib/sites/site-health.ts asks).
 */
export async function probeSite(host: string, opts: ProbeOptions): Promise<ProbeResult> {
  const seen = await probeAnswers(host, opts);
  return resultOf(seen, judgeProbe(seen.facts));
}

export function resultOf(seen: ProbeSeen, v: HealthVerdict): ProbeResult {
  const { asksDatabase: _asks, ...verdict } = v;
  return { ...verdict, latencyMs: seen.latencyMs, ...(seen.facts.noAnswer ? { error: seen.facts.noAnswer } : {}) };
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
