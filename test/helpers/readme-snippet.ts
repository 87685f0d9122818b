// The README's receiver-side signature check, loaded exactly as printed, so tests verify
// deliveries the way a NEXT AI integrator would.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type VerifyDelivery = (secret: string, headers: Record<string, unknown>, rawBody: string, nowSeconds?: number) => boolean;

export async function readmeVerifyDelivery(): Promise<VerifyDelivery> {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const snippet = /```js\n(\/\/ verify-front-import\.mjs[\s\S]*?)```/.exec(readme)?.[1];
  if (!snippet) throw new Error('README: no verify-front-import.mjs snippet');
  const dir = mkdtempSync(join(tmpdir(), 'fi-snippet-'));
  const file = join(dir, 'verify-front-import.mjs');
  writeFileSync(file, snippet);
  try {
    return ((await import(pathToFileURL(file).href)) as { verifyDelivery: VerifyDelivery }).verifyDelivery;
  } finally {
    // Imported: the module lives on without its file.
    rmSync(dir, { recursive: true, force: true });
  }
}
