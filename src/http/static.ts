// Static files under content-hashed names, cached for a year; the layout links the hashed names.
import { Hono } from 'hono';
import type { Assets } from '../platform/ports.ts';
import { sha256Hex } from '../crypto/bytes.ts';
import type { StaticUrls } from './env.ts';
import { open } from '../access/guard.ts';

const FILES: Record<keyof StaticUrls, string> = { css: 'app.css', htmx: 'htmx.min.js', app: 'app.js', signature: 'js/signature.js' };
const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  svg: 'image/svg+xml',
};

interface StaticFile {
  body: Uint8Array;
  type: string;
  etag: string;
}

export interface StaticBundle {
  urls: StaticUrls;
  files: Map<string, StaticFile>;
}

export async function loadStatic(assets: Assets): Promise<StaticBundle> {
  const files = new Map<string, StaticFile>();
  const urls = {} as StaticUrls;
  for (const [key, name] of Object.entries(FILES) as [keyof StaticUrls, string][]) {
    const body = await assets.read(`static/${name}`);
    if (!body) throw new Error(`static/${name} is missing from this build`);
    const hash = (await sha256Hex(body)).slice(0, 12);
    // Served flat under /static/ whatever the folder (js/signature.js -> signature.<hash>.js).
    const base = name.slice(name.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    const hashed = `${base.slice(0, dot)}.${hash}${base.slice(dot)}`;
    const ext = name.slice(name.lastIndexOf('.') + 1);
    files.set(hashed, { body, type: TYPES[ext] ?? 'application/octet-stream', etag: `"${hash}"` });
    urls[key] = `/static/${hashed}`;
  }
  return { urls, files };
}

export function staticRoutes(bundle: StaticBundle): Hono {
  const app = new Hono();
  app.get('/:name', open(), (c) => {
    const file = bundle.files.get(c.req.param('name'));
    if (!file) return c.notFound();
    if (c.req.header('If-None-Match') === file.etag) return c.body(null, 304, { ETag: file.etag });
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': file.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: file.etag,
    });
  });
  return app;
}
