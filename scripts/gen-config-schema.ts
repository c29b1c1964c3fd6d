// Writes docs/config.schema.json from shared/config.ts, so the published schema
// and the validator are the same thing. `npm test` checks the file is current.
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigSchema } from '../shared/config';

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  schema.$id = 'https://presslink.app/schema/config.schema.json';
  schema.title = 'Presslink configuration';
  return JSON.stringify(schema, null, 2) + '\n';
}

if (process.argv[1]?.endsWith('gen-config-schema.ts')) {
  fs.writeFileSync(new URL('../docs/config.schema.json', import.meta.url), configJsonSchema());
  console.log('wrote docs/config.schema.json');
}
