import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** The package version, read from package.json next to dist/ (no JSON import: rootDir is src). */
export function readVersion(): string {
  if (cached === null) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}

export function userAgent(): string {
  return `front-import/${readVersion()}`;
}
