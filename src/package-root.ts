// Files that ship beside the code (package.json, the build's data, the launcher), found from the
// package's root. The same module runs from src/ (tests), from dist/ (tsc's output, which the bench
// imports) and from dist/bundle/ (the binary: rolldown's chunks), each at another depth, so a path
// relative to import.meta.url would be right in one of them only.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The nearest folder above this module holding a package.json: the package's root. */
function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`front-import: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = dir;
  return root;
}

/** A path inside the package, e.g. packagePath('dist', 'data', 'eld-small-packed.json'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
