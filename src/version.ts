import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

let cached: string | null = null;

/** The package version, read from the package's package.json (no JSON import: rootDir is src). */
export function readVersion(): string {
  if (cached === null) {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}

export function userAgent(): string {
  return `front-import/${readVersion()}`;
}
