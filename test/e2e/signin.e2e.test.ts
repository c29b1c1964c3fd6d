import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startServe, type ServeHandle } from './helpers';

// A non-loopback bind makes `presslink serve` demand its access token, but the tests only
// use loopback. The browser therefore plays the token check in front of the real server:
// without `Bearer <token>` (calls) or `?token=` (events) it answers exactly what the server
// answers on a public bind, 401 {ok:false,error:{code:'unauthorized'}}.

const TOKEN = 'pl-test-token-1234';
const UNAUTHORIZED = JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'This Presslink server needs its access token.' } });

describe('sign-in when the server needs an access token', () => {
  let server: ServeHandle;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const seen: { calls: string[]; events: string[] } = { calls: [], events: [] };

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    page = await context.newPage();
    await page.route('**/api/call/**', async (route: Route) => {
      const auth = route.request().headers().authorization ?? '';
      seen.calls.push(auth);
      if (auth !== `Bearer ${TOKEN}`) return route.fulfill({ status: 401, contentType: 'application/json', body: UNAUTHORIZED });
      return route.continue();
    });
    await page.route('**/api/events*', async (route: Route) => {
      const url = new URL(route.request().url());
      seen.events.push(url.search);
      if (url.searchParams.get('token') !== TOKEN) return route.fulfill({ status: 401, contentType: 'application/json', body: UNAUTHORIZED });
      return route.continue();
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('asks for the token instead of showing a broken app', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Presslink' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('health-badge').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-signin');
  });

  it('refuses a wrong token and says so', async () => {
    await page.getByLabel('Access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('presslink.accessToken'))).toBeNull();
  });

  it('signs in with the right token, sends it on calls and events, and keeps it for the session', async () => {
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 15_000 }).toBe('unconfigured');
    expect(await page.evaluate(() => sessionStorage.getItem('presslink.accessToken'))).toBe(TOKEN);
    await expect.poll(() => seen.events.some((q) => q.includes(`token=${TOKEN}`)), { timeout: 10_000 }).toBe(true);
    // Live events flow once signed in: a pause from another client shows up.
    await fetch(`${server.url}/api/call/sync.pause`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expect.poll(() => page.getByRole('button', { name: 'Resume' }).count(), { timeout: 10_000 }).toBe(1);

    seen.calls.length = 0;
    await page.reload();
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 15_000 }).not.toBe('unknown');
    expect(await page.getByRole('heading', { name: 'Sign in to Presslink' }).count()).toBe(0);
    expect(seen.calls.length).toBeGreaterThan(0);
    expect(seen.calls.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
  });
});
