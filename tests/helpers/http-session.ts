import http from 'node:http';

/**
 * Plain HTTP against a running Mutu, as a script or an attacker would send it: no browser,
 * cookies carried by hand, and the client address chosen (any 127.x.y.z reaches a server on
 * 127.0.0.1, and the server sees that address on its socket).
 */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** the client address the request leaves from (default 127.0.0.1) */
  from?: string;
}

export function httpRequest(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.from ?? '127.0.0.1', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** `name=value` pairs of a response's Set-Cookie headers, empty values (deletions) left out. */
function setCookies(res: HttpResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const value = pair!.slice(eq + 1);
    if (value) out[pair!.slice(0, eq)] = value;
  }
  return out;
}

const cookieHeader = (cookies: Record<string, string>) =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** A session cookie as a browser holds it: copy the string and it is the same session. */
export type SessionCookie = string;

export class MutuHttp {
  constructor(readonly baseUrl: string) {}

  private async csrf(from: string | undefined, cookies: Record<string, string>) {
    const res = await httpRequest(`${this.baseUrl}/api/auth/csrf`, { from, headers: { cookie: cookieHeader(cookies) } });
    const { csrfToken } = JSON.parse(res.body) as { csrfToken: string };
    return { csrfToken, cookies: { ...cookies, ...setCookies(res) } };
  }

  private form(path: string, fields: Record<string, string>, cookies: Record<string, string>, from?: string) {
    return httpRequest(`${this.baseUrl}${path}`, {
      method: 'POST',
      from,
      headers: {
        origin: this.baseUrl,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: cookieHeader(cookies),
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /**
   * Signs in through next-auth's credentials endpoint, as the login form does. Returns the
   * session cookie, or the error next-auth reported (`CredentialsSignin`, a rate-limit code...).
   */
  async signIn(who: { email: string; password: string }, from?: string): Promise<{ cookie?: SessionCookie; error?: string }> {
    const { csrfToken, cookies } = await this.csrf(from, {});
    const res = await this.form('/api/auth/callback/credentials', { csrfToken, email: who.email, password: who.password, json: 'true' }, cookies, from);
    const session = Object.entries(setCookies(res)).find(([name]) => name.endsWith('next-auth.session-token'));
    if (session) return { cookie: `${session[0]}=${session[1]}` };
    const url = (JSON.parse(res.body || '{}') as { url?: string }).url ?? '';
    return { error: new URL(url, this.baseUrl).searchParams.get('error') ?? `HTTP ${res.status}` };
  }

  /** Signs out through next-auth's endpoint with this session cookie, as the Sign out button does. */
  async signOut(cookie: SessionCookie): Promise<void> {
    const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
    const { csrfToken, cookies } = await this.csrf(undefined, { [name]: value });
    const res = await this.form('/api/auth/signout', { csrfToken, json: 'true' }, cookies);
    if (res.status !== 200) throw new Error(`sign-out answered ${res.status}: ${res.body}`);
  }

  /**
   * Whether this cookie still opens a session, asked of a route handler and of a page:
   * 'user' (signed in), or 'anonymous' when both refuse it. Anything mixed is an error.
   */
  async sessionState(cookie: SessionCookie): Promise<'user' | 'anonymous'> {
    // Without its `host` parameter the route answers 422 to a signed-in caller, 401 to anyone else.
    const api = await httpRequest(`${this.baseUrl}/api/exports`, { headers: { cookie } });
    const page = await httpRequest(`${this.baseUrl}/my`, { headers: { cookie } });
    const apiSaysUser = api.status === 422;
    const pageSaysUser = page.status === 200;
    const refused = api.status === 401 && page.status >= 300 && page.status < 400 && /\/login/.test(String(page.headers.location));
    if (apiSaysUser && pageSaysUser) return 'user';
    if (refused) return 'anonymous';
    throw new Error(`mixed answers for one cookie: GET /api/exports ${api.status}, GET /my ${page.status} ${page.headers.location ?? ''}`);
  }
}
