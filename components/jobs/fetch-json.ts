/** fetch for our JSON route handlers: a failure becomes an Error carrying the handler's message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers }, cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!res.ok) throw new Error(body?.error ?? `The server answered ${res.status} ${res.statusText}.`);
  return body as T;
}
