import { QueryFailedError } from 'typeorm';
import { loggableError, queryName } from './error-log';

describe('database errors as logged', () => {
  const pgError = Object.assign(
    new Error('duplicate key value violates unique constraint "app_user_email_key"'),
    {
      code: '23505',
      constraint: 'app_user_email_key',
      table: 'app_user',
      detail: 'Key (email)=(anna@example.se) already exists.',
      severity: 'ERROR',
    },
  );

  it('keep the query name and the error code, never the parameters nor the detail', () => {
    const error = new QueryFailedError(
      'INSERT INTO app_user (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id',
      ['anna@example.se', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'admin'],
      pgError,
    );
    const logged = loggableError(error);
    expect(logged).toEqual(
      expect.objectContaining({
        code: '23505',
        query: 'INSERT INTO app_user',
        constraint: 'app_user_email_key',
      }),
    );
    const text = JSON.stringify(logged);
    expect(text).not.toContain('anna@example.se');
    expect(text).not.toContain('argon2');
    expect(text).not.toContain('VALUES');
  });

  it('names SELECT, UPDATE, DELETE and WITH statements by operation and table', () => {
    expect(queryName('SELECT e.id FROM enrolment e JOIN x ON true WHERE e.id = $1')).toBe('SELECT enrolment');
    expect(queryName('UPDATE enrolment SET gender = $2 WHERE id = $1')).toBe('UPDATE enrolment');
    expect(queryName('DELETE FROM aggregation_dirty WHERE id = $1')).toBe('DELETE FROM aggregation_dirty');
    expect(queryName('WITH a AS (SELECT 1) INSERT INTO period_result (x) SELECT * FROM a')).toBe(
      'INSERT INTO period_result',
    );
    expect(queryName('/* enrolment.insert */ INSERT INTO enrolment VALUES ($1)')).toBe('enrolment.insert');
  });

  it('keeps ordinary errors as they are', () => {
    expect(loggableError(new TypeError('boom'))).toEqual(
      expect.objectContaining({ type: 'TypeError', message: 'boom' }),
    );
  });
});
