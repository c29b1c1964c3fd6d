import { afterAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { tempDir } from '../helpers/tmp';

// The checklist's results outlive the page: the last run is kept with its time, so a reload or
// a restart shows them again without running every check anew (they vanished on reload).

const tmp = tempDir('presslink-checklist-last-');
afterAll(() => tmp.cleanup());

describe('checklist.last', () => {
  it('returns the last run, across a restart, and nothing before the first', async () => {
    const open = () => startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false });
    const first = await open();
    expect(await first.call('checklist.last', {})).toEqual({ at: null, results: [] });
    const results = await first.call('checklist.run', {});
    expect(results.length).toBeGreaterThan(3);
    await first.stop();
    const second = await open();
    try {
      const last = await second.call('checklist.last', {});
      expect(last.results).toEqual(results);
      expect(Date.parse(last.at!)).toBeLessThanOrEqual(Date.now());
    } finally {
      await second.stop();
    }
  });
});
