// The dashboard's front thread (lib/server/front-thread.cjs) on a real socket, in front of a
// stand-in for Next on a Unix socket on this test's main thread, as `mutu start` runs Next on its
// main thread: static files answered by the thread itself, even while the main thread is held;
// everything else handed over whole, with the client's address set by the front alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER } from '@/lib/auth/request';
import { startFront, type WebServer } from '@/lib/server/http';
import { freePort } from '../helpers/free-port';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-front-thread-'));
const socketPath = path.join(dir, 'next.sock');
const root = path.join(dir, 'root');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const CHUNK = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
const CLIP = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251));

/** What the stand-in saw of each request it was handed. */
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let endedEarly = 0;

const next = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    if (req.url === '/stream') {
      // A stream of lines (as a job's log is followed): the first line reaches the client before the end.
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: first\n\n');
      res.on('close', () => !res.writableFinished && endedEarly++);
      return;
    }
    res.writeHead(201, [['Set-Cookie', 'a=1; Path=/'], ['Set-Cookie', 'b=2; Path=/'], ['Content-Type', 'application/json']].flat() as unknown as http.OutgoingHttpHeaders);
    res.end(JSON.stringify({ from: 'next', url: req.url }));
  });
});

let front: WebServer;
let base: string;

beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'public', 'icons'), { recursive: true });
  fs.writeFileSync(path.join(root, 'public', 'favicon.svg'), SVG);
  fs.writeFileSync(path.join(root, 'public', 'icons', 'big.svg'), SVG + ' '.repeat(2000));
  fs.writeFileSync(path.join(root, 'public', 'clip.mp4'), CLIP);
  fs.writeFileSync(path.join(root, 'public', 'empty.txt'), '');
  fs.mkdirSync(path.join(root, '.next', 'static', 'chunks'), { recursive: true });
  fs.writeFileSync(path.join(root, '.next', 'static', 'chunks', 'app-0a1b.js'), CHUNK);
  fs.writeFileSync(path.join(root, '.next', 'secret.json'), '{"secret":true}');
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"mutu"}');
  await new Promise<void>((r) => next.listen(socketPath, r));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  front = await startFront({ hostname: '127.0.0.1', port, socketPath, trustProxy: false, clientIpHeader: CLIENT_IP_HEADER, root, serveStatic: true }, () => {});
});

afterAll(async () => {
  await front?.close();
  await new Promise((r) => next.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A request as a browser sends it, its body whole (not unpacked). */
function get(url: string, headers: Record<string, string> = {}, opts: { method?: string; body?: string; localAddress?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request(`${base}${url}`, { method: opts.method ?? 'GET', headers, localAddress: opts.localAddress, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the front thread', () => {
  it("serves public/'s files and Next's build assets itself, with Next's caching, the security headers and gzip", async () => {
    const before = seen.length;
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.body.toString()).toBe(SVG);
    expect(icon.headers).toMatchObject({ 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=0', 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
    expect(icon.headers['content-encoding']).toBeUndefined(); // under 1 KiB: not worth packing

    const chunk = await get('/_next/static/chunks/app-0a1b.js', { 'Accept-Encoding': 'gzip, br' });
    expect(chunk.headers).toMatchObject({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    expect(zlib.gunzipSync(chunk.body).toString()).toBe(CHUNK);
    expect((await get('/_next/static/chunks/app-0a1b.js')).body.toString()).toBe(CHUNK);
    expect(zlib.gunzipSync((await get('/icons/big.svg', { 'Accept-Encoding': 'gzip' })).body).toString()).toBe(SVG + ' '.repeat(2000));

    // Asked again with its tag (among others) or its date: not sent again.
    const again = await get('/_next/static/chunks/app-0a1b.js', { 'If-None-Match': `W/"other", ${chunk.headers.etag!}` });
    expect([again.status, again.body.length, again.headers.vary]).toEqual([304, 0, 'Accept-Encoding']);
    expect((await get('/favicon.svg', { 'If-Modified-Since': icon.headers['last-modified']! })).status).toBe(304);
    expect((await get('/favicon.svg', { 'If-Modified-Since': new Date(Date.parse(icon.headers['last-modified']!) - 60_000).toUTCString() })).status).toBe(200);
    const head = await get('/favicon.svg', {}, { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(SVG.length), 0]);
    expect(seen.length, 'none of these reached Next').toBe(before);
  });

  it('answers one byte range of a file as it is, as Next did: a video seeks, a download resumes', async () => {
    const before = seen.length;
    const whole = await get('/clip.mp4');
    expect([whole.status, whole.headers['content-type'], whole.headers['accept-ranges']]).toEqual([200, 'video/mp4', 'bytes']);
    const size = CLIP.length;
    for (const [asked, start, end] of [['bytes=0-99', 0, 99], ['bytes=99990-', 99_990, size - 1], ['bytes=-10', size - 10, size - 1], ['bytes=50000-999999', 50_000, size - 1]] as const) {
      const r = await get('/clip.mp4', { Range: asked });
      expect([asked, r.status, r.headers['content-range'], r.headers['content-length']]).toEqual([asked, 206, `bytes ${start}-${end}/${size}`, String(end - start + 1)]);
      expect(r.body.equals(CLIP.subarray(start, end + 1)), asked).toBe(true);
    }
    const beyond = await get('/clip.mp4', { Range: `bytes=${size}-` });
    expect([beyond.status, beyond.headers['content-range'], beyond.body.length]).toEqual([416, `bytes */${size}`, 0]);
    // The refusal is not the file: nothing of its caching for a cache to keep in its place.
    expect([beyond.headers['cache-control'], beyond.headers.etag, beyond.headers['last-modified'], beyond.headers['x-content-type-options']]).toEqual(['no-store', undefined, undefined, 'nosniff']);
    // HEAD ignores Range (only a GET's is read), and an empty file is sent whole.
    const head = await get('/clip.mp4', { Range: 'bytes=0-9' }, { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.headers['content-range']]).toEqual([200, String(size), undefined]);
    for (const asked of ['bytes=0-', 'bytes=-5']) {
      const empty = await get('/empty.txt', { Range: asked });
      expect([asked, empty.status, empty.body.length]).toEqual([asked, 200, 0]);
    }
    // Several ranges, or one not understood: the whole file, which is always a right answer.
    for (const asked of ['bytes=0-1,5-6', 'bytes=9-3', 'items=0-1']) expect([asked, (await get('/clip.mp4', { Range: asked })).status]).toEqual([asked, 200]);
    // If-Range: the range only while the file is the one the client had.
    expect((await get('/clip.mp4', { Range: 'bytes=0-9', 'If-Range': whole.headers['last-modified']! })).status).toBe(206);
    expect((await get('/clip.mp4', { Range: 'bytes=0-9', 'If-Range': new Date(Date.parse(whole.headers['last-modified']!) - 60_000).toUTCString() })).status).toBe(200);
    expect((await get('/clip.mp4', { Range: 'bytes=0-9', 'If-Range': whole.headers.etag! })).status).toBe(200);
    // A file sent packed is sent whole (its gzip and its plain bytes share their validators); plain, it ranges.
    const packed = await get('/_next/static/chunks/app-0a1b.js', { Range: 'bytes=0-11', 'Accept-Encoding': 'gzip' });
    expect([packed.status, packed.headers['content-encoding'], zlib.gunzipSync(packed.body).toString()]).toEqual([200, 'gzip', CHUNK]);
    const part = await get('/_next/static/chunks/app-0a1b.js', { Range: 'bytes=0-11' });
    expect([part.status, part.headers['content-encoding'], part.body.toString()]).toEqual([206, undefined, CHUNK.slice(0, 12)]);
    expect(seen.length, 'none of these reached Next').toBe(before);
  });

  it('leaves to Next every other path, a way out of the assets folder or a missing asset included', async () => {
    for (const url of ['/_next/static/../secret.json', '/_next/static/%2e%2e/secret.json', '/_next/static/chunks/%2E%2E%2F%2E%2E%2Fsecret.json', '/_next/static/chunks/missing.js', '/package.json', '/favicon.svg/', '/public/favicon.svg', '/sites?q=a']) {
      const r = await get(url);
      expect([url, r.status, JSON.parse(r.body.toString()).from]).toEqual([url, 201, 'next']);
    }
    // Only GET and HEAD are a static file's.
    expect(JSON.parse((await get('/favicon.svg', {}, { method: 'POST' })).body.toString()).from).toBe('next');
  });

  it("hands Next the request whole, with the client's address read from its socket whatever the client says, and its answer whole", async () => {
    const r = await get('/api/things?x=1', { 'Content-Type': 'application/json', Origin: 'http://example.org', [CLIENT_IP_HEADER]: '6.6.6.6', 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Host': 'evil.example' }, { method: 'POST', body: '{"a":1}', localAddress: '127.0.0.2' });
    expect(r.status).toBe(201);
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const got = seen[seen.length - 1]!;
    expect(got).toMatchObject({ method: 'POST', url: '/api/things?x=1', body: '{"a":1}' });
    expect(got.headers).toMatchObject({ [CLIENT_IP_HEADER]: '127.0.0.2', origin: 'http://example.org', host: base.slice('http://'.length) });
    // No proxy is trusted here: what a client says of its forwarding is dropped.
    expect(got.headers['x-forwarded-for']).toBeUndefined();
    expect(got.headers['x-forwarded-host']).toBeUndefined();
  });

  it('keeps a chunked body a body: a request hidden in it never reaches Next as one, nor its forged address', async () => {
    const hidden = `GET /smuggled HTTP/1.1\r\nHost: x\r\n${CLIENT_IP_HEADER}: 6.6.6.6\r\n\r\n`;
    for (const method of ['GET', 'DELETE', 'OPTIONS', 'POST']) {
      const before = seen.length;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
          socket.write(`${method} /first HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`);
        });
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 201/);
      // Next's socket is kept alive: a request left in it would show on the next one at the latest.
      await get('/after');
      const got = seen.slice(before).map((r) => [r.method, r.url, r.body, r.headers[CLIENT_IP_HEADER]]);
      expect(got).toEqual([
        [method, '/first', hidden, '127.0.0.1'],
        ['GET', '/after', '', '127.0.0.1'],
      ]);
    }
  });

  it('refuses a connection upgrade: Mutu serves nothing over WebSocket outside development', async () => {
    const before = seen.length;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () => {
        socket.write(`GET /socket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(seen.length).toBe(before);
  });

  it('streams an answer as Next writes it, and ends it on Next’s side when the client leaves', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${base}/stream`, { agent: false }, (res) => {
        res.once('data', (d: Buffer) => {
          resolve(d.toString());
          req.destroy();
        });
      });
      req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    });
    expect(first).toBe('data: first\n\n');
    await expect.poll(() => endedEarly, { timeout: 5000 }).toBe(1);
  });

  it('says what to do when its port is taken', async () => {
    const port = Number(new URL(base).port);
    await expect(startFront({ hostname: '127.0.0.1', port, socketPath, trustProxy: false, clientIpHeader: CLIENT_IP_HEADER, root, serveStatic: true }, () => {})).rejects.toThrow(
      `The dashboard cannot listen on 127.0.0.1:${port}: another program listens there: stop it, or choose another port with PORT.`,
    );
  });

  it('answers a static file while the main thread (Next’s) is held; a page waits for it', async () => {
    const marks = path.join(dir, 'marks');
    fs.mkdirSync(marks);
    // Another process asks for both at once and marks each answer on disk as it comes.
    const asker = `
      const [base, marks] = process.argv.slice(1);
      const fs = require('node:fs');
      const ask = (url, mark) => fetch(base + url).then((r) => r.text()).then(() => fs.writeFileSync(marks + '/' + mark, ''));
      Promise.all([ask('/_next/static/chunks/app-0a1b.js', 'static'), ask('/a/page', 'page')]).then(() => process.exit(0));`;
    const child = spawn(process.execPath, ['-e', asker, base, marks], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    // Held from here, as a long render holds it: until the static answer is marked (or 30 s).
    const nap = new Int32Array(new SharedArrayBuffer(4));
    const until = Date.now() + 30_000;
    while (!fs.existsSync(path.join(marks, 'static')) && Date.now() < until) Atomics.wait(nap, 0, 0, 5);
    const whileHeld = { static: fs.existsSync(path.join(marks, 'static')), page: fs.existsSync(path.join(marks, 'page')) };
    await exited;
    expect(whileHeld).toEqual({ static: true, page: false });
    expect(fs.existsSync(path.join(marks, 'page'))).toBe(true);
  });
});
