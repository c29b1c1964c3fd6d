import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../scripts/gen-config-schema';
import { parseConfig } from '../../shared/config';

const root = path.resolve(__dirname, '../..');

describe('published config schema', () => {
  it('docs/config.schema.json matches the validator (run `npx tsx scripts/gen-config-schema.ts` after changing shared/config.ts)', () => {
    expect(fs.readFileSync(path.join(root, 'docs/config.schema.json'), 'utf8')).toBe(configJsonSchema());
  });

  it('the documented example in docs/config.example.json is valid', () => {
    const example = JSON.parse(fs.readFileSync(path.join(root, 'docs/config.example.json'), 'utf8'));
    const r = parseConfig(example);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });
});
