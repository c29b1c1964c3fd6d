// `npm start`: the desktop app where Electron's binary is installed; otherwise
// the same engine headless with the web UI, said in one line.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
let electronBinary = null;
try {
  const p = require('electron');
  if (typeof p === 'string' && existsSync(p)) electronBinary = p;
} catch {
  electronBinary = null;
}

const args = process.argv.slice(2);
if (electronBinary && !process.env.PRESSLINK_HEADLESS) {
  const child = spawn(electronBinary, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed on this machine, so Presslink starts headless: open the sign-in link below in a browser.');
  const child = spawn(process.execPath, ['bin/presslink.mjs', 'serve', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
