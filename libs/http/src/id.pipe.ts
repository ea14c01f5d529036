import { PipeTransform } from '@nestjs/common';
import { badField } from './field-errors.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
