// Runs inside Bun (spawned by binary.ts): `bun src/build/bun-compile.ts <entry> <outfile>`.
// Compiles the entry into a standalone executable for this machine, with the native addons embedded.

// The subset of Bun's API used here; the project type-checks without bun-types.
interface OnLoadArgs {
  path: string;
}
interface PluginBuild {
  onLoad(opts: { filter: RegExp }, load: (args: OnLoadArgs) => Promise<{ contents: string; loader: 'js' }>): void;
}
interface BuildOutput {
  success: boolean;
  logs: unknown[];
}
interface BunApi {
  build(opts: {
    entrypoints: string[];
    compile: { outfile: string; autoloadDotenv: boolean; autoloadBunfig: boolean; autoloadTsconfig: boolean; autoloadPackageJson: boolean };
    target: 'bun';
    minify: { whitespace: boolean; syntax: boolean; identifiers: boolean; keepNames: boolean };
    sourcemap: 'none' | 'linked';
    plugins: { name: string; setup(build: PluginBuild): void }[];
    throw: boolean;
  }): Promise<BuildOutput>;
  file(path: string): { text(): Promise<string> };
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;
export {}; // a module: top-level await below

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  process.stderr.write('usage: bun src/build/bun-compile.ts <entry.ts> <outfile>\n');
  process.exit(2);
}

// Only glibc Linux is built and tested; the addon packages are the ones npm installed for this machine.
const triple = `${process.platform}-${process.arch}-gnu`;
const LIBSQL_ADDON = `@libsql/${triple}/index.node`;
const ARGON2_ADDON = `@node-rs/argon2-${triple}/argon2.${triple}.node`;
for (const addon of [LIBSQL_ADDON, ARGON2_ADDON]) {
  try {
    require.resolve(addon);
  } catch {
    process.stderr.write(`bun-compile: native addon ${addon} is not installed (only glibc Linux binaries are built)\n`);
    process.exit(1);
  }
}

/**
 * Native addons must be required by a literal path for Bun to embed them. libsql computes its
 * package name at run time; @node-rs/argon2 probes every platform's package. Both loaders are replaced
 * by a literal require of this machine's addon (the same object their exports come from).
 */
const nativeAddons = {
  name: 'invent-native-addons',
  setup(build: PluginBuild) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, async ({ path }) => {
      const src = await Bun.file(path).text();
      const computed = 'return require(`@libsql/${target}`);';
      if (!src.includes(computed)) throw new Error(`libsql's loader changed (${path}): update src/build/bun-compile.ts`);
      return { contents: src.replace(computed, `return require(${JSON.stringify(LIBSQL_ADDON)});`), loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]node_modules[\\/]@node-rs[\\/]argon2[\\/]index\.js$/ }, async ({ path }) => {
      const src = await Bun.file(path).text();
      // Keep the package's own export list (the tail from `module.exports = nativeBinding`).
      const tail = src.indexOf('module.exports = nativeBinding');
      if (tail < 0) throw new Error(`@node-rs/argon2's loader changed (${path}): update src/build/bun-compile.ts`);
      return { contents: `const nativeBinding = require(${JSON.stringify(ARGON2_ADDON)});\n${src.slice(tail)}`, loader: 'js' };
    });
  },
};

const result = await Bun.build({
  entrypoints: [entry],
  compile: {
    outfile,
    // The binary reads its settings from the environment only, like `npx invent`: a .env or bunfig.toml
    // (which can preload code) lying in the working folder must not change what it does.
    autoloadDotenv: false,
    autoloadBunfig: false,
    autoloadTsconfig: false,
    autoloadPackageJson: false,
  },
  target: 'bun',
  // keepNames: error classes and libraries may read a function's or class's `name`.
  minify: { whitespace: true, syntax: true, identifiers: true, keepNames: true },
  sourcemap: 'none',
  plugins: [nativeAddons],
  throw: false,
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
