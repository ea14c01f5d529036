import { QueryFailedError } from 'typeorm';

/** What a log line may say about an error: never a query's parameters, never a value from a row. */
export interface LoggableError {
  type: string;
  message: string;
  /** PostgreSQL SQLSTATE, e.g. 23505. */
  code?: string;
  /** The query's name: its operation and main table, e.g. "INSERT INTO enrolment". */
  query?: string;
  constraint?: string;
  table?: string;
  stack?: string;
}

interface PgDriverError {
  code?: string;
  constraint?: string;
  table?: string;
}

/** "INSERT INTO enrolment", "UPDATE report_export", "SELECT … FROM app_user": the statement, not its text. */
export function queryName(sql: string | undefined): string | undefined {
  if (!sql) return undefined;
  const text = sql.replace(/\s+/g, ' ').trim();
  const named = /^\/\*\s*([\w.:-]+)\s*\*\//.exec(text);
  if (named) return named[1];
  const body = text.replace(/^WITH .*?\)\s*(?=(SELECT|INSERT|UPDATE|DELETE)\b)/i, '');
  const m =
    /^(INSERT INTO|UPDATE|DELETE FROM)\s+("?[\w.]+"?)/i.exec(body) ??
    /^(SELECT)\b.*?\bFROM\s+("?[\w.]+"?)/i.exec(body);
  if (m) return `${m[1].toUpperCase()} ${m[2].replace(/"/g, '')}`;
  const verb = /^([A-Za-z]+)/.exec(body);
  return verb ? verb[1].toUpperCase() : undefined;
}

/**
 * A database error as it may be logged: the query's name and the SQLSTATE code (and constraint/table
 * names), never its parameters nor PostgreSQL's message/detail, which can quote a row's values.
 */
export function loggableError(error: unknown): LoggableError {
  if (error instanceof QueryFailedError) {
    const pg = error.driverError as PgDriverError;
    return {
      type: 'QueryFailedError',
      message: `database error ${pg.code ?? 'unknown'}`,
      code: pg.code,
      query: queryName(error.query),
      constraint: pg.constraint,
      table: pg.table,
    };
  }
  if (error instanceof Error) {
    // pg errors outside TypeORM (e.g. a raw pool query) carry the same fields.
    const pg = error as Error & PgDriverError & { severity?: string };
    if (typeof pg.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code) && pg.severity) {
      return {
        type: error.name,
        message: `database error ${pg.code}`,
        code: pg.code,
        constraint: pg.constraint,
        table: pg.table,
      };
    }
    return { type: error.name, message: error.message, stack: error.stack };
  }
  return { type: typeof error, message: 'non-error value thrown' };
}
