export type RawSearchParams = Record<string, string | string[] | undefined>;

/**
 * Query parameters as a flat object for zod: the first value of repeated keys, and blank
 * values left out (an empty filter box in a GET form means "no filter").
 */
export function flattenParams(params: RawSearchParams | URLSearchParams): Record<string, string> {
  const entries = params instanceof URLSearchParams ? [...params.keys()].map((k) => [k, params.get(k) ?? undefined] as const) : Object.entries(params);
  const out: Record<string, string> = {};
  for (const [key, raw] of entries) {
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) out[key] = value;
  }
  return out;
}
