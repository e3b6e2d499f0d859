// The dashboard's listening socket, in a thread of its own (lib/server/http.ts starts it). It
// serves the static files itself (Next's build assets and public/) and hands every other request
// to Next on the main thread, through a private Unix socket. A page's render holds the main
// thread for tens of milliseconds at farm scale: a static file no longer waits behind it.
// It is also where a request's client address is read, from the one socket that saw the client.
// Plain JavaScript, loaded by path: the same file serves the sources and the compiled command line.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const zlib = require('node:zlib');
const { parentPort, workerData } = require('node:worker_threads');
const securityHeaders = require('./security-headers.cjs');

const { hostname, port, socketPath, trustProxy, clientIpHeader, root, serveStatic } = workerData;

/** Headers that belong to one connection, never forwarded (RFC 9110 7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

const TYPES = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.map', '.json', '.txt', '.svg', '.webmanifest', '.html', '.xml']);

/** The client's address: the socket's, or the proxy's last hop when a proxy is trusted. */
function clientAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) {
    return forwarded.split(',').map((s) => s.trim()).filter(Boolean).pop() || 'unknown';
  }
  return (req.socket.remoteAddress || 'unknown').replace(/^::ffff:/, '');
}

/** The request's headers as Next gets them: the client's address set here (whatever the client sent), no hop-by-hop header. */
function forwardedHeaders(req) {
  const headers = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  // A body without a length (chunked, which Node's parser alone accepts) is sent on chunked
  // again: sent raw (Node does not chunk a GET's body by itself), Next would read it as a
  // second request, with whatever headers it forged.
  if (req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';
  if (!trustProxy) {
    delete headers['x-forwarded-host'];
    delete headers['x-forwarded-for'];
  }
  headers[clientIpHeader] = clientAddress(req);
  return headers;
}

// ---- static files

/** public/'s files by URL path, read once: what a deployment ships there does not change while it runs. */
function publicFiles() {
  const files = new Map();
  const dir = path.join(root, 'public');
  const walk = (sub) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile()) files.set(`/${rel}`, path.join(dir, rel));
    }
  };
  walk('');
  return files;
}

const PUBLIC = serveStatic ? publicFiles() : new Map();
const BUILD_ASSETS = path.join(root, '.next', 'static');
const ASSETS_PREFIX = '/_next/static/';

/** The file a GET of `pathname` names, or null: Next's build assets (immutable, named by their hash) and public/'s files. */
function staticFile(pathname) {
  if (!serveStatic) return null;
  const fromPublic = PUBLIC.get(pathname);
  if (fromPublic) return { file: fromPublic, cacheControl: 'public, max-age=0' };
  if (!pathname.startsWith(ASSETS_PREFIX)) return null;
  let rel;
  try {
    rel = decodeURIComponent(pathname.slice(ASSETS_PREFIX.length));
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.split('/').some((part) => part === '..' || part === '.' || part === '')) return null;
  const file = path.join(BUILD_ASSETS, rel);
  if (!file.startsWith(BUILD_ASSETS + path.sep)) return null;
  return { file, cacheControl: 'public, max-age=31536000, immutable' };
}

/** Compressed copies kept in memory, by file and version: a build's assets are few, small and fixed. */
const gzipped = new Map();
/** Larger files are sent as they are, read as a stream (never whole in memory, never holding the thread). */
const GZIP_AT_MOST = 4 * 1024 * 1024;

function gzipOf(file, stat) {
  const key = `${file}:${stat.size}:${stat.mtimeMs}`;
  let gz = gzipped.get(key);
  if (!gz) {
    gz = zlib.gzipSync(fs.readFileSync(file));
    gzipped.set(key, gz);
  }
  return gz;
}

/** Whether the browser's copy is still the file's: If-None-Match (a list, or `*`) first, else If-Modified-Since. */
function notModified(req, etag, mtime) {
  const match = req.headers['if-none-match'];
  if (match) return match.trim() === '*' || match.split(',').some((tag) => tag.trim() === etag);
  const since = Date.parse(req.headers['if-modified-since'] || '');
  return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

/**
 * The one byte range a `Range` header asks of a file of `size` bytes: { start, end } (end
 * included), 'unsatisfiable', or null for the whole file: no range, several, or one this front
 * does not read (a whole answer is always allowed, RFC 9110 14.2).
 */
function byteRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // An empty file has no byte to range over: it is sent whole (some clients fail on its 416).
  if (!m || (m[1] === '' && m[2] === '') || size === 0) return null;
  if (m[1] === '') {
    const last = Number(m[2]);
    return last === 0 ? 'unsatisfiable' : { start: Math.max(0, size - last), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? Infinity : Number(m[2]);
  if (end < start) return null;
  return start >= size ? 'unsatisfiable' : { start, end: Math.min(end, size - 1) };
}

/**
 * Whether a range asked `If-Range` still applies: only a date equal to the file's does. An entity
 * tag never does, since a range needs a strong match and this front's tags are weak.
 */
function rangeStillApplies(req, mtime) {
  const ifRange = req.headers['if-range'];
  if (!ifRange) return true;
  const date = /^\s*(W\/)?"/.test(ifRange) ? NaN : Date.parse(ifRange);
  return date === Math.floor(mtime.getTime() / 1000) * 1000;
}

/** Answers a static file; false when there is none to answer (Next then answers, its 404 included). */
function serveStaticFile(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const pathname = (req.url || '/').split('?')[0];
  const found = staticFile(pathname);
  if (!found) return false;
  let stat;
  try {
    stat = fs.statSync(found.file);
  } catch {
    return false;
  }
  if (!stat.isFile()) return false;
  const ext = path.extname(found.file).toLowerCase();
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = {
    'Content-Type': TYPES[ext] || 'application/octet-stream',
    'Cache-Control': found.cacheControl,
    ETag: etag,
    'Last-Modified': stat.mtime.toUTCString(),
  };
  for (const h of securityHeaders) headers[h.key] = h.value;
  // As Next's compression: only what gains from it (text), from 1 KiB on.
  const compressible = COMPRESSIBLE.has(ext) && stat.size >= 1024 && stat.size <= GZIP_AT_MOST;
  if (compressible) headers.Vary = 'Accept-Encoding';
  if (notModified(req, etag, stat.mtime)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = compressible && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  // A range (a video's seek, a download resumed) is of a GET's file sent as it is (RFC 9110 14.2).
  // Not of a file sent packed: both share their validators, so a resumed gzip body would get the
  // plain file's bytes spliced on.
  const range = req.method === 'GET' && !gzip && req.headers.range && rangeStillApplies(req, stat.mtime) ? byteRange(req.headers.range, stat.size) : null;
  if (range === 'unsatisfiable') {
    // An error no cache should keep in the file's place: none of the file's caching headers.
    const refused = { 'Content-Range': `bytes */${stat.size}`, 'Cache-Control': 'no-store' };
    for (const h of securityHeaders) refused[h.key] = h.value;
    res.writeHead(416, refused);
    res.end();
    return true;
  }
  if (range) {
    res.writeHead(206, { ...headers, 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${range.start}-${range.end}/${stat.size}`, 'Content-Length': range.end - range.start + 1 });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(found.file, range).on('error', (err) => res.destroy(err)).pipe(res);
    return true;
  }
  if (gzip) {
    let gz;
    try {
      gz = gzipOf(found.file, stat);
    } catch {
      return false;
    }
    res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': gz.length });
    res.end(req.method === 'HEAD' ? undefined : gz);
    return true;
  }
  res.writeHead(200, { ...headers, 'Accept-Ranges': 'bytes', 'Content-Length': stat.size });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(found.file).on('error', (err) => res.destroy(err)).pipe(res);
  return true;
}

// ---- everything else: to Next

const agent = new http.Agent({ keepAlive: true });

function unavailable(res, err) {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const body = `502 Bad Gateway: Mutu's dashboard did not answer (${err.message}). If this lasts, look at what \`mutu start\` printed.\n`;
  res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function forward(req, res) {
  const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers: forwardedHeaders(req) }, (answer) => {
    const headers = { ...answer.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    res.writeHead(answer.statusCode || 502, answer.statusMessage, headers);
    answer.pipe(res);
    answer.on('error', (err) => res.destroy(err));
  });
  upstream.on('error', (err) => unavailable(res, err));
  // The client gone (a closed tab, a stream of job lines left): Next sees its request end too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** The development server's live-reload sockets, joined to Next's: ended with the front. */
const tunnels = new Set();

/**
 * A connection upgrade: the development server's live reload, the two sockets joined with the
 * client's address set. Mutu serves nothing over WebSocket otherwise, so a production server
 * refuses it (joined raw, an upgrade Next did not take would let a client speak HTTP to Next's
 * socket directly, its own client address included).
 */
function forwardUpgrade(req, socket, head) {
  if (serveStatic) {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const inner = net.connect(socketPath, () => {
    const headers = forwardedHeaders(req);
    headers.connection = 'Upgrade';
    headers.upgrade = req.headers.upgrade;
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) for (const v of [].concat(value)) lines.push(`${name}: ${v}`);
    inner.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head && head.length) inner.write(head);
    socket.pipe(inner).pipe(socket);
  });
  const pair = [socket, inner];
  tunnels.add(pair);
  const end = () => {
    tunnels.delete(pair);
    socket.destroy();
    inner.destroy();
  };
  inner.on('error', end).on('close', end);
  socket.on('error', end).on('close', end);
}

const server = http.createServer((req, res) => {
  if (!serveStaticFile(req, res)) forward(req, res);
});
server.on('upgrade', forwardUpgrade);
let listening = false;
server.on('error', (err) => {
  // Before listening: the start fails (a port in use). After: the server goes on (an accept
  // refused for lack of file descriptors), and the main thread says it.
  parentPort.postMessage({ type: listening ? 'warning' : 'error', message: err.message, code: err.code });
});
server.listen(port, hostname, () => {
  listening = true;
  parentPort.postMessage({ type: 'listening' });
});

parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close(() => {
    agent.destroy();
    parentPort.postMessage({ type: 'closed' });
  });
  server.closeIdleConnections();
  // Connections still busy get a moment to finish (a download, a stream of job lines), then end.
  setTimeout(() => {
    server.closeAllConnections();
    for (const [a, b] of tunnels) {
      a.destroy();
      b.destroy();
    }
  }, 2000).unref();
});
