#!/usr/bin/env -S node --max-old-space-size=256 --max-semi-space-size=8
// Entry point: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
// The heap flags keep the whole process under the product's 400 MB RSS cap: what a hunt keeps alive is small,
// but V8 otherwise lets the heap grow far past it before collecting (measured: 537 MB -> 245 MB peak).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('tenantwatch: dist/ is missing; run `npm ci` (or `npm run build`) in the project first\n');
  process.exit(70);
}
// `tenantwatch hunt … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
