// proxy-from-env 2 ships no types (the @types package describes 1.x).
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY / ALL_PROXY / NO_PROXY in process.env, or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
