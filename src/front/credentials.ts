// How the Front client authenticates: a fixed API token, or OAuth access tokens that come and go
// (src/oauth/). The client asks for the header before each request and, once per request, for a
// renewal after a 401; every token it is handed is reported to the scrubbers first.

export interface FrontCredentials {
  /** The Authorization header for the next request. */
  header(): Promise<string>;
  /** False for a fixed token: a 401 is final. */
  readonly renewable: boolean;
  /** `refused` was answered 401: get a newer header (a refresh, or another process's newer set). */
  renew(refused: string): Promise<void>;
  /** Called with every secret these credentials will ever put in a header, before it is used. */
  onSecret(listener: (secret: string) => void): void;
}

export function apiTokenCredentials(token: string): FrontCredentials {
  const header = `Bearer ${token}`;
  return {
    header: async () => header,
    renewable: false,
    renew: async () => undefined,
    onSecret: (listener) => listener(token),
  };
}
