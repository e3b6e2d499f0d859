export type JsonAnswer<T> = { ok: true; body: T } | { ok: false; status: number; error: string; fields?: Record<string, string> };

/** POSTs JSON to one of Mutu's routes and reads its answer; a network failure is an answer too, said with `unreachable`. */
export async function postJson<T>(url: string, payload: unknown, unreachable: string): Promise<JsonAnswer<T>> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      cache: 'no-store',
    });
    const body = (await res.json().catch(() => null)) as (T & { error?: string; fields?: Record<string, string> }) | null;
    if (res.ok && body) return { ok: true, body };
    return { ok: false, status: res.status, error: body?.error ?? unreachable, fields: body?.fields };
  } catch {
    return { ok: false, status: 0, error: unreachable };
  }
}
