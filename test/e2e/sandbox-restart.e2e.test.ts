import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, startServe } from './helpers';

// The sandbox does not outlive the Presslink that started it. After `presslink serve` is
// restarted on the same data directory, the page says at once that the sandbox stopped, with
// a button that starts it again — and the test orders can then be placed.

describe('sandbox mode after a restart', () => {
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'presslink-e2e-sandbox-restart-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says the sandbox stopped and starts it again from the banner', async () => {
    const first = await startServe({ dataDir });
    await callApi(first.url, 'setup.useSandbox', { orders: 2 });
    await first.stop();

    const second = await startServe({ dataDir });
    try {
      const context = await browser.newContext({ viewport: { width: 1300, height: 850 }, locale: 'en-GB' });
      const page = await context.newPage();
      await page.goto(await second.signInUrl('#/checklist'));
      const banner = page.getByTestId('health-cause');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.getAttribute('data-health')).toBe('error');
      expect(await banner.textContent()).toMatch(/sandbox stopped when Presslink last stopped/);
      await screenshot(page, 'en-sandbox-stopped');
      await page.getByTestId('health-fix').click();
      await expect.poll(() => page.getByTestId('health-cause').count(), { timeout: 20_000 }).toBe(0);
      const placed = await callApi<{ placed: number[] }>(second.url, 'checklist.placeTestOrders');
      expect(placed.placed).toHaveLength(3);
      await context.close();
    } finally {
      await second.dispose();
    }
  });
});
