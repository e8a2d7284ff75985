/** @jsxImportSource hono/jsx */
// Benchmark baseline: a bare Hono app with one tiny hono/jsx page, on the same Node adapter.
import { Hono } from 'hono';
import { nodeServeAdapter } from '../../../src/platform/node/index.ts';
import { serveUntilStopped } from '../lib/serve-child.ts';

function Page(props: { title: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
      </head>
      <body>
        <main>
          <h1>{props.title}</h1>
          <p>A bare page.</p>
        </main>
      </body>
    </html>
  );
}

const app = new Hono();
app.get('/sign-in', (c) => c.html('<!doctype html>' + <Page title="Sign in" />));
await serveUntilStopped(await nodeServeAdapter(app.fetch, { port: 0, host: '127.0.0.1' }), async () => {});
