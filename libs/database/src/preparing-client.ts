import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Most named statements one connection keeps: PostgreSQL holds each one's parse tree and plan per backend. */
export const MAX_PREPARED_PER_CONNECTION = 200;

const names = new Map<string, string>();

/** A statement's name: from a hash of its text, so the same text has the same name on every connection. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `u${createHash('sha1').update(text).digest('base64url')}`;
    // The texts are the application's own, a few hundred; the bound only guards against a text built per call.
    if (names.size < 10 * MAX_PREPARED_PER_CONNECTION) names.set(text, name);
  }
  return name;
}

/**
 * The pool's client (TypeORM `extra.Client`): every statement with parameters is sent as a named prepared
 * statement, so each connection parses it once instead of on every call, and PostgreSQL can keep its plan
 * when a generic plan is as good as one made for the values (plan_cache_mode auto). Under load, parsing and
 * planning were about a third of PostgreSQL's CPU time. Statements without parameters (transaction control,
 * migrations of several statements) go as before, by the simple protocol.
 */
export class PreparingClient extends Client {
  private readonly prepared = new Set<string>();

  // pg's overloads of query cannot be restated in an override; the arguments pass through unchanged except
  // that (text, values) becomes ({ name, text, values }).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(text);
      if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION) {
        this.prepared.add(name);
        return super.query({ name, text, values });
      }
    }
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}
