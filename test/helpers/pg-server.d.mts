export interface PgServer {
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  readonly port: number;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (connections are cut) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** CPU seconds used by the server process and its finished backends. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export function startPgServer(opts?: { onLog?: (line: string) => void; settings?: Record<string, string> }): Promise<PgServer>;
export function createDatabase(adminUrl: string): Promise<string>;
