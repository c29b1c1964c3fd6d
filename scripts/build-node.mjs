// Bundles the Node side with esbuild: the CLI/headless engine (ESM) and the
// Electron main + preload (CommonJS, as Electron loads them). Dependencies stay
// external so native modules (better-sqlite3) load from node_modules.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: { __PRESSLINK_VERSION__: JSON.stringify(pkg.version) },
};

// The CLI bundles its pure-JS dependencies too: one file loads far faster than
// hundreds of small modules, which is most of `presslink serve`'s cold start.
// Native, optional or very large ones stay in node_modules.
const { packages: _external, ...cliCommon } = common;
await build({
  ...cliCommon,
  external: ['better-sqlite3', '@aws-sdk/*', 'electron', 'pino', 'nunjucks', 'playwright-core', 'fsevents', 's3rver'],
  entryPoints: { cli: 'electron/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  // ESM output has no require(); a few CJS dependencies' helpers expect it.
  banner: { js: "import { createRequire as __presslinkRequire } from 'node:module'; const require = __presslinkRequire(import.meta.url);" },
});

const electronEntries = {};
for (const [name, file] of [['main', 'electron/main/index.ts'], ['preload', 'electron/preload/index.ts']]) {
  try {
    readFileSync(file);
    electronEntries[name] = file;
  } catch {
    // The desktop shell may not exist in a partial checkout; the CLI still builds.
  }
}
if (Object.keys(electronEntries).length) {
  await build({
    ...common,
    entryPoints: electronEntries,
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  });
}
console.log('built dist/cli.mjs' + (Object.keys(electronEntries).length ? ' and dist/electron/*.cjs' : ''));
