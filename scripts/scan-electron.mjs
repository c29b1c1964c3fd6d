// `npm run scan:electron`: Doyensec's Electronegativity over electron/, failing on
// any HIGH or CRITICAL finding (every finding is listed, so the MEDIUM/LOW
// "review" items stay visible).
//
// Why not `npx electronegativity`: its command-line front end (dist/index.js) uses
// the commander 2 API without declaring commander as a dependency, so it picks up
// the project's commander 14 and crashes ("_commander2.default.version is not a
// function"). The scanner itself (dist/runner.js) is fine; this script calls it
// directly. test/unit/electron-electronegativity.test.ts uses the same functions.
//
//   node scripts/scan-electron.mjs [--input DIR] [--offline]
//
// --offline (or PRESSLINK_OFFLINE=1): the tool fetches fresh translations and
// Electron's release list; offline they fail at once and it uses its bundled copies.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEVERE = new Set(['HIGH', 'CRITICAL']);

/** The scanner's own entry point (`run(options)`), optionally with its network fetches failing at once. */
export function loadScanner({ offline = false } = {}) {
  const engDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const engRequire = createRequire(path.join(engDir, 'dist', 'runner.js'));
  if (offline) {
    for (const from of ['dist/locales/i18n.js', 'dist/finder/checks/GlobalChecks/AvailableSecurityFixesGlobalCheck.js']) {
      const gotPath = createRequire(path.join(engDir, from)).resolve('got');
      require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: () => Promise.reject(new Error('offline')) };
    }
  }
  const mod = engRequire('./runner.js');
  return mod.default ?? mod;
}

/** Scans `input` (a folder or file) for the project's Electron version; the tool's own chatter is kept off stdout. */
export async function scan(input, { offline = false } = {}) {
  const run = loadScanner({ offline });
  const electronVersion = require(path.join(ROOT, 'node_modules/electron/package.json')).version;
  const log = console.log;
  console.log = () => {};
  try {
    return { electronVersion, ...(await run({ input, electronVersionOverride: electronVersion, isRelative: true })) };
  } finally {
    console.log = log;
  }
}

export function describeFinding(i) {
  return `${i.severity.name.padEnd(8)} ${i.confidence.name.padEnd(9)} ${i.id} ${i.file}:${i.location?.line ?? '?'}${i.manualReview ? ' (review)' : ''} — ${i.description}`;
}

async function main(argv) {
  const at = argv.indexOf('--input');
  const input = path.resolve(at >= 0 ? argv[at + 1] ?? '' : path.join(ROOT, 'electron'));
  const offline = argv.includes('--offline') || process.env.PRESSLINK_OFFLINE === '1';
  const r = await scan(input, { offline });
  process.stdout.write(
    `Electronegativity: ${r.globalChecks} global + ${r.atomicChecks} atomic checks on ${path.relative(ROOT, input) || '.'} (Electron ${r.electronVersion})\n` +
      (r.issues.length ? r.issues.map(describeFinding).join('\n') : '  no findings') +
      '\n',
  );
  const unreadable = r.errors.filter((e) => !e.tolerable);
  for (const e of unreadable) process.stderr.write(`not checked (could not parse): ${e.file}: ${e.message}\n`);
  const severe = r.issues.filter((i) => SEVERE.has(i.severity.name));
  if (severe.length || unreadable.length) {
    process.stderr.write(`${severe.length} HIGH/CRITICAL finding(s), ${unreadable.length} unreadable file(s).\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`scan:electron: ${e?.message ?? e}\n`);
    process.exitCode = 2;
  });
}
