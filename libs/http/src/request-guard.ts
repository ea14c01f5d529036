import { hasForbiddenCharacters } from '@app/domain';
import type { FieldError } from './error-envelope';

/** Deepest nesting of objects/arrays a request may carry (our deepest DTO is three levels). */
export const MAX_NESTING_DEPTH = 32;

/**
 * The first problem found in a parsed request value (body, query string or path parameter), checked before
 * any DTO sees it: characters no field may hold (control characters, unpaired surrogates; in keys too),
 * nesting deeper than MAX_NESTING_DEPTH. Iterative, so a hostile depth cannot overflow the stack here.
 */
export function requestValueProblem(root: unknown, rootField: string): FieldError | null {
  const stack: { value: unknown; field: string; depth: number }[] = [
    { value: root, field: rootField, depth: 0 },
  ];
  while (stack.length) {
    const { value, field, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasForbiddenCharacters(value)) {
        return {
          field: field || 'body',
          message: 'must not contain control characters or unpaired surrogates',
        };
      }
      continue;
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    if (depth >= MAX_NESTING_DEPTH) {
      return { field: field || 'body', message: `is nested deeper than ${MAX_NESTING_DEPTH} levels` };
    }
    for (const [key, child] of Object.entries(value)) {
      if (hasForbiddenCharacters(key)) {
        return {
          field: field || 'body',
          message: 'has a field name with control characters or unpaired surrogates',
        };
      }
      stack.push({ value: child, field: field ? `${field}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

/** A query parameter given twice (?a=1&a=2) or with brackets (?a[]=1) arrives as an array: refused by name. */
export function repeatedQueryParameter(query: unknown): string | null {
  if (query === null || typeof query !== 'object') return null;
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value) || (value !== null && typeof value === 'object')) return key;
  }
  return null;
}

/**
 * Nesting depth of a raw JSON text, counted without parsing (strings skipped), so a body nested thousands of
 * levels deep is refused before JSON.parse and the validators recurse into it.
 */
export function jsonNestingExceeds(raw: Buffer | string, max = MAX_NESTING_DEPTH): boolean {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1'); // only ASCII brackets and quotes matter
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
