import { FieldErrorsException } from '@app/http/field-errors.exception';

/** Figures of a period the insats has not reached yet (it starts later) are simply absent on a page. */
export async function figuresOrNull<T>(figures: Promise<T>): Promise<T | null> {
  try {
    return await figures;
  } catch (error) {
    if (error instanceof FieldErrorsException && error.details.some((d) => d.field === 'period')) return null;
    throw error;
  }
}
