// Where an OAuth token set lives between runs, and nowhere else: the OS keychain where one answers
// (@napi-rs/keyring), else a file in the user's config directory (mode 0600, written atomically,
// refused when another user could have written it), or, where the state is PostgreSQL and several
// machines share it, the state itself, encrypted with AES-256-GCM under FRONT_IMPORT_SECRET_KEY.

import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import type { MetaStore } from '../store/roles.js';
import type { TokenSet } from './token-set.js';

export interface TokenVault {
  /** Where the set is kept, fit to print. */
  readonly where: string;
  read(): Promise<TokenSet | null>;
  /** Durable when it resolves: the next read, by any process, sees this set. */
  write(set: TokenSet): Promise<void>;
  clear(): Promise<boolean>;
}

/** One token set per Front app and API. */
export function vaultKey(clientId: string, apiUrl: string): string {
  return createHash('sha256').update(`${clientId}\0${apiUrl}`).digest('hex').slice(0, 16);
}

export function fileVault(path: string, opts: { uid?: number } = {}): TokenVault {
  const uid = opts.uid ?? process.getuid?.();
  return {
    where: path,
    async read() {
      let text: string;
      try {
        const st = statSync(path);
        if ((uid !== undefined && st.uid !== uid && uid !== 0) || (st.mode & 0o077) !== 0) {
          throw new UsageError(`${path}: the OAuth token file must be yours and mode 0600 (another user could have written it); remove it and run \`front-import connect --oauth\` again`);
        }
        text = readFileSync(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      return parseSet(text, path);
    },
    async write(set) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.tmp-${process.pid}`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(set));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
      // The rename itself must survive a power cut before the new access token is used.
      const dir = openSync(dirname(path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    },
    async clear() {
      try {
        statSync(path);
      } catch {
        return false;
      }
      rmSync(path, { force: true });
      return true;
    },
  };
}

/** ~/.config/front-import/oauth-<key>.json (XDG_CONFIG_HOME when set). */
export function defaultTokenFile(env: Record<string, string | undefined>, key: string): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'front-import', `oauth-${key}.json`);
}

const STATE_META_KEY = 'oauth.token-set';

/** The token set in the state store (any backend), sealed with AES-256-GCM. */
export function stateVault(meta: MetaStore, secretKey: string, where: string): TokenVault {
  const key = stateKey(secretKey);
  return {
    where,
    async read() {
      const sealed = await meta.getMeta<{ v: 1; iv: string; tag: string; data: string }>(STATE_META_KEY);
      if (!sealed) return null;
      let plain: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new UsageError(`the OAuth token set in ${where} cannot be opened with FRONT_IMPORT_SECRET_KEY (another key sealed it); set the key used by \`connect --oauth\`, or connect again`);
      }
      return parseSet(plain, where);
    },
    async write(set) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(set), 'utf8'), cipher.final()]);
      await meta.setMeta(STATE_META_KEY, { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') });
    },
    async clear() {
      const had = (await meta.getMeta(STATE_META_KEY)) !== undefined;
      if (had) await meta.deleteMeta(STATE_META_KEY);
      return had;
    },
  };
}

const MIN_SECRET_KEY_LENGTH = 32;

function stateKey(secretKey: string): Buffer {
  if (secretKey.length < MIN_SECRET_KEY_LENGTH) {
    throw new UsageError(`FRONT_IMPORT_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`);
  }
  // A fixed salt: the key must open the same state on every machine that shares it.
  return scryptSync(secretKey, 'front-import oauth token set', 32);
}

/** The OS keychain, when this machine has one that answers (a desktop session; not a container). */
export async function keyringVault(key: string): Promise<TokenVault | null> {
  try {
    const { Entry } = await import('@napi-rs/keyring');
    const entry = new Entry('front-import', `oauth-${key}`);
    // Reading works without a keychain (it answers "none"): only a write tells whether one answers.
    const existing = entry.getPassword();
    if (existing === null || existing === undefined) {
      entry.setPassword('{}');
      entry.deletePassword();
    }
    return {
      where: `the OS keychain (front-import/oauth-${key})`,
      async read() {
        const text = entry.getPassword();
        return text ? parseSet(text, 'the OS keychain') : null;
      },
      async write(set) {
        entry.setPassword(JSON.stringify(set));
      },
      async clear() {
        return entry.deletePassword();
      },
    };
  } catch {
    return null;
  }
}

function parseSet(text: string, where: string): TokenSet | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${where}: the stored OAuth token set is not readable; run \`front-import connect --oauth\` again`);
  }
  if (value === null) return null;
  const set = value as Partial<TokenSet>;
  if (typeof set.accessToken !== 'string' || typeof set.refreshToken !== 'string' || typeof set.expiresAt !== 'number') {
    throw new UsageError(`${where}: the stored OAuth token set is incomplete; run \`front-import connect --oauth\` again`);
  }
  return set as TokenSet;
}
