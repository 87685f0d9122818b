// The one place PostgreSQL and network failures become StoreErrors a user can act on. Messages
// name the state by its masked URL: the password never reaches an error.

import { pgDriver } from './driver.js';
import { FrontImportError, StoreError } from '../../errors.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATE classes and codes we explain; https://www.postgresql.org/docs/current/errcodes-appendix.html */
function fromSqlState(code: string, message: string, where: string): string {
  if (code === '28P01' || code === '28000') return `${where}: ${message}: check the user and password (in the URL or PGPASSWORD)`;
  if (code === '3D000') return `${where}: ${message}: create the database or fix the URL`;
  if (code === '42501') return `${where}: ${message}: grant this user the rights to create and use the state's tables`;
  if (code === '53300') return `${where}: the server has no connection slots left (${message}); try again later`;
  if (code.startsWith('57P') || code.startsWith('08')) {
    return `${where}: the connection was lost (${message}); the server restarted or went away: run again when it is back, nothing saved is lost`;
  }
  if (code === '53100') return `${where}: the server's disk is full (${message}); free some space and run again`;
  return `${where}: ${message} (SQLSTATE ${code})`;
}

/** Maps a driver error to a StoreError; FrontImportErrors (e.g. LockError) pass through unchanged. */
export function toPgStoreError(err: unknown, display: string): unknown {
  if (err instanceof FrontImportError) return err;
  const where = `PostgreSQL state ${display}`;
  if (err instanceof pgDriver.DatabaseError && err.code) return new StoreError(fromSqlState(err.code, err.message, where), { cause: err });
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new StoreError(`${where} is unreachable (${code}): check the host and port and that the server is running`, { cause: err });
  }
  if (err instanceof Error && /timeout|terminated|Connection terminated|not queryable/i.test(err.message)) {
    return new StoreError(`${where}: the connection was lost (${err.message}); run again when the server is back, nothing saved is lost`, { cause: err });
  }
  if (err instanceof Error && /SSL|TLS|certificate/i.test(err.message)) {
    return new StoreError(`${where}: TLS failed (${err.message}); check sslmode and sslrootcert in the URL`, { cause: err });
  }
  return err;
}

export type AsyncMethods = Record<string, (...args: never[]) => Promise<unknown>>;

/** Wraps every method so a failure anywhere surfaces as a StoreError naming the state. */
export function guardAllAsync<T extends AsyncMethods>(display: string, methods: T): T {
  const guarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(methods) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    guarded[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toPgStoreError(err, display);
      }
    };
  }
  return guarded as unknown as T;
}
