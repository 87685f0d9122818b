/** SHA-256 over the spec and spec/normalise.mjs, as written into src/front-api/core-api.d.ts. */
export function sourcesDigest(): string;
