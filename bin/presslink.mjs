#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/cli.mjs by `npm run build`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('presslink: not built yet. Run `npm run build` (or `npm start`) first.\n');
  process.exit(2);
}
process.env.PRESSLINK_CLI_MAIN = '1';
await import(cli.href);
