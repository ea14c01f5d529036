import { PipeTransform } from '@nestjs/common';
import { badField } from '@app/http/field-errors.exception';

/** A calendar year in a path, e.g. /goals/2025. */
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(year >= 1990 && year <= 2100)) throw badField('year', 'must be a year between 1990 and 2100');
    return year;
  }
}
