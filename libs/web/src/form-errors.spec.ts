import { IsInt } from 'class-validator';
import { CreateEnrolmentDto } from '@app/registry/enrolment.dto';
import { conflictField, FieldErrorsException } from '@app/http/field-errors.exception';
import { fieldErrorsOf, swedishFieldError, validateAs } from './form-errors';

describe('form errors in Swedish', () => {
  it.each([
    [{ field: 'startedOn', message: 'must not be in the future' }, 'Datumet får inte ligga i framtiden'],
    [
      { field: 'startedOn', message: 'must not be before the intervention started (2024-01-01)' },
      'Datumet får inte vara före insatsens start (2024-01-01)',
    ],
    [
      { field: 'exitedOn', message: 'must not be before startedOn (2024-02-01)' },
      'Slutdatum får inte vara före startdatum (2024-02-01)',
    ],
    [
      { field: 'age', message: 'give either ageBand or age, not both' },
      'Ange antingen ålder eller åldersgrupp, inte båda',
    ],
    [
      { field: 'ageBand', message: 'is required (or give age in years)' },
      'Ange ålder i år eller välj åldersgrupp',
    ],
    [{ field: 'municipality', message: 'unknown SCB municipality code 9999' }, 'Okänd kommun'],
    [
      { field: 'email', message: 'a user with this email already exists' },
      'Det finns redan en användare med den e-postadressen',
    ],
    [
      { field: 'associationIds', message: 'unknown ids: x' },
      'Välj minst ett förbund (utvärderare och styrelse)',
    ],
    [{ field: 'mystery', message: 'something new' }, 'Kontrollera uppgiften'],
  ])('words %j as %s, on the same field', (error, expected) => {
    expect(swedishFieldError(error)).toEqual({ field: error.field, message: expected });
  });

  it('takes the field errors of a 409 conflict, and nothing from a plain error', () => {
    const conflict = conflictField(
      'participantCode',
      'the participant already has an open enrolment in this intervention',
    );
    expect(fieldErrorsOf(conflict)).toEqual([
      {
        field: 'participantCode',
        message: 'Deltagaren har redan en pågående inskrivning i den här insatsen',
      },
    ]);
    expect(fieldErrorsOf(new Error('boom'))).toBeNull();
    expect(fieldErrorsOf(new FieldErrorsException(400, 'x', []))).toBeNull();
  });

  it('validates with the DTO rules of the API and answers one Swedish message per field', async () => {
    const bad = await validateAs(CreateEnrolmentDto, {
      participantCode: '19850412-1234',
      startedOn: '2024-02-30',
      referringParty: 'nobody',
      gender: 'woman',
      age: 'tjugo',
      municipality: '0136',
      incomeSupportAtStart: [],
    });
    expect(bad.dto).toBeNull();
    expect(bad.errors).toEqual([
      {
        field: 'participantCode',
        message:
          'Deltagarkoden ser ut som ett personnummer eller samordningsnummer. Använd insatsens egen kod.',
      },
      { field: 'startedOn', message: 'Ange startdatum som ÅÅÅÅ-MM-DD' },
      { field: 'referringParty', message: 'Välj anvisande part' },
      { field: 'age', message: 'Ange ålder i hela år mellan 16 och 66' },
    ]);
    const good = await validateAs(CreateEnrolmentDto, {
      participantCode: 'UNG-1',
      startedOn: '2024-02-01',
      referringParty: 'school',
      gender: 'woman',
      age: 20,
      municipality: '0136',
    });
    expect(good.errors).toBeNull();
    expect(good.dto).toBeInstanceOf(CreateEnrolmentDto);
  });

  it('rejects a field the DTO does not know', async () => {
    class Small {
      @IsInt() n!: number;
    }
    const result = await validateAs(Small, { n: 1, extra: 'x' });
    expect(result.errors).toEqual([{ field: 'extra', message: 'Kontrollera uppgiften' }]);
  });
});
