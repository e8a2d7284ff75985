// Assets on Workers: there is no file system, so the static files are bundled into the Worker as Data
// modules (wrangler.toml [[rules]]) and read from memory. Keys are paths relative to the project root,
// the same ones the Node adapter reads from disk, so loadStatic() hashes identical bytes on every runtime.
import type { Assets } from '../ports.ts';
import appCss from '../../../static/app.css';
import appJs from '../../../static/app.js';
import htmxJs from '../../../static/htmx.min.js';
import signatureJs from '../../../static/js/signature.js';

const BUNDLED: Record<string, ArrayBuffer> = {
  'static/app.css': appCss,
  'static/app.js': appJs,
  'static/htmx.min.js': htmxJs,
  'static/js/signature.js': signatureJs,
};

export function bundledAssets(files: Record<string, ArrayBuffer> = BUNDLED): Assets {
  return {
    async read(rel) {
      const bytes = Object.hasOwn(files, rel) ? files[rel] : undefined;
      // A copy: callers own what they get, and the module's buffer stays untouched.
      return bytes ? new Uint8Array(bytes.slice(0)) : undefined;
    },
  };
}
