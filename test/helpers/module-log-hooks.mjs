// Module hooks (node:module register) that append every module the ESM loader resolves to a file,
// one URL a line: what a command line made Node load. Used by startup-imports.mjs.

import { appendFileSync } from 'node:fs';

let file = null;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  // Written before the import goes on, so the file is complete whenever the importer resumes.
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
