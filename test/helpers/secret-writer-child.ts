// A second Presslink process writing to a shared data directory, for the concurrency tests:
//   node --import tsx test/helpers/secret-writer-child.ts <dataDir> <name> <count>
// Waits for "go" on stdin, then stores <count> secrets "<name>.<i>" and makes the generated
// secrets (as an engine starting does), printing the generated values as JSON.
import path from 'node:path';
import { FileSecretStore } from '../../electron/core/secrets/file-store';
import { ensureGeneratedSecrets, GENERATED_SECRETS } from '../../electron/core/secrets/generated';

const [dataDir, name, count] = process.argv.slice(2) as [string, string, string];
process.stdin.once('data', () => {
  const secrets = new FileSecretStore(path.join(dataDir, 'secrets.json'));
  for (let i = 0; i < Number(count); i++) secrets.set(`${name}.${i}`, `value-${name}-${i}`);
  const problem = ensureGeneratedSecrets(secrets);
  const generated = Object.fromEntries(Object.values(GENERATED_SECRETS).map((k) => [k, secrets.get(k)]));
  process.stdout.write(JSON.stringify({ problem, generated }) + '\n');
  process.exit(0);
});
