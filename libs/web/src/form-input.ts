// Reading urlencoded form bodies: every value a string (or a list for repeated fields); empty means absent.

export type FormBody = Record<string, unknown>;

export function text(body: FormBody, name: string): string | undefined {
  const v = body[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string') return undefined;
  const trimmed = s.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function list(body: FormBody, name: string): string[] {
  const v = body[name];
  const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return values.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

/** A whole number as typed; a non-number is passed on as text, so the DTO's rule rejects it. */
export function integer(body: FormBody, name: string): number | string | undefined {
  const s = text(body, name);
  if (s === undefined) return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/** A percentage typed as "42" or "42,5" → fraction 0.425; text otherwise (rejected by the DTO). */
export function percentAsFraction(body: FormBody, name: string): number | string | undefined {
  const s = text(body, name);
  if (s === undefined) return undefined;
  const n = Number(s.replace(',', '.').replace(/\s*%$/, ''));
  return Number.isFinite(n) ? Math.round(n * 100) / 10_000 : s;
}
