// `npm run bench`: runs every tests/bench/*.bench.ts in turn (or those named on the command line,
// e.g. `npm run bench -- pages`). Each module's default export prints its own figures.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

if (files.length === 0) {
  console.error(only.length ? `no benchmark matches ${only.join(', ')}` : 'no benchmarks in tests/bench');
  process.exit(1);
}

let failures = 0;
for (const file of files) {
  console.log(`\n=== ${file.replace(/\.bench\.ts$/, '')} ===`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: () => Promise<void> };
    if (typeof mod.default !== 'function') throw new Error(`${file} has no default export function`);
    await mod.default();
  } catch (err) {
    failures++;
    console.error(`${file} failed:`, err);
  }
  console.log(`(${file} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failures ? 1 : 0);
