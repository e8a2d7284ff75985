// Rules about the source itself, checked by reading it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function files(dir: string, ext = /\.(ts|tsx|mjs)$/): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full, ext));
    else if (ext.test(name)) out.push(full);
  }
  return out;
}

const sources = [...files(join(root, 'src')), ...files(join(root, 'views'))].map((f) => ({
  path: relative(root, f),
  text: readFileSync(f, 'utf8'),
}));

describe('source rules', () => {
  it('CR4: no Math.random anywhere in src or views', () => {
    expect(sources.filter((s) => /Math\.random/.test(s.text)).map((s) => s.path)).toEqual([]);
  });

  it('only entries, platform adapters and build scripts touch runtime APIs', () => {
    const runtimeImport = /from\s+['"](node:|bun['"]|bun:|deno|@hono\/node-server|@node-rs\/|@libsql\/client['"])|\b(Deno|Bun)\.[a-z]/;
    const allowed = /^src\/(entry|platform|build)\//;
    const offenders = sources.filter((s) => !allowed.test(s.path) && runtimeImport.test(s.text.replace(/import type[^;]+;/g, '')));
    expect(offenders.map((s) => s.path)).toEqual([]);
  });

  it('every .tsx file names its JSX runtime, so Deno, Bun and esbuild agree', () => {
    const tsx = sources.filter((s) => s.path.endsWith('.tsx'));
    expect(tsx.length).toBeGreaterThan(3);
    expect(tsx.filter((s) => !s.text.startsWith('/** @jsxImportSource hono/jsx */')).map((s) => s.path)).toEqual([]);
  });

  it('static/htmx.min.js is the pinned htmx.org release', () => {
    const shipped = readFileSync(join(root, 'static/htmx.min.js'));
    const pinned = readFileSync(join(root, 'node_modules/htmx.org/dist/htmx.min.js'));
    expect(shipped.equals(pinned)).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies['htmx.org']).toMatch(/^4\./);
  });
});
