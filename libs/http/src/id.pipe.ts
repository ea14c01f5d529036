import { PipeTransform } from '@nestjs/common';
import { badField } from './field-errors.exception';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id in a path or query string; answers 400 naming the parameter. */
export class IdPipe implements PipeTransform<string | undefined, string | undefined> {
  constructor(
    private readonly field: string,
    private readonly optional = false,
  ) {}

  transform(value: string | undefined): string | undefined {
    if (value === undefined && this.optional) return undefined;
    if (typeof value !== 'string' || !UUID.test(value)) throw badField(this.field, 'must be an id (UUID)');
    return value.toLowerCase();
  }
}

/** A comma-separated list of ids from a query string (undefined when absent), or a 400 naming the parameter. */
export function parseIdList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const ids = typeof value === 'string' ? value.split(',').map((s) => s.trim().toLowerCase()) : [];
  if (ids.length === 0 || ids.some((id) => !UUID.test(id)))
    throw badField(field, 'must be a comma-separated list of ids');
  return [...new Set(ids)];
}
