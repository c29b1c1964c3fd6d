import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, launchBrowser, screenshot, seriousAxeViolations, startServe, watchPageErrors, type ServeHandle } from './helpers';

// Signing in to `presslink serve` in a real browser, against the real server: the API
// refuses every call until the browser holds the session cookie, which the one-time
// link printed at start (or a code pasted on the sign-in page) gives it.

describe('sign-in to the web UI', () => {
  let server: ServeHandle;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newPage = async (): Promise<Page> => {
    const c = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    contexts.push(c);
    return c.newPage();
  };

  beforeAll(async () => {
    server = await startServe();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.dispose();
  });

  it('without signing in, the page asks to sign in instead of showing a broken app', async () => {
    const page = await newPage();
    const errors = watchPageErrors(page);
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Presslink' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('health-badge').count()).toBe(0);
    expect(await page.getByText('presslink open-link').count()).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'en-signin');
    expect(errors).toEqual([]);
  });

  it('the printed link signs in, lands on a clean address, and calls and live events work', async () => {
    const page = await newPage();
    const errors = watchPageErrors(page);
    const link = await server.signInUrl();
    expect(link).toBe(server.link);
    await page.goto(link);
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 15_000 }).toBe('unconfigured');
    // A clean address: the code is gone (an unconfigured install then opens the setup wizard).
    expect(page.url()).toMatch(new RegExp(`^${server.url}/(#/setup)?$`));
    const cookies = await page.context().cookies(server.url);
    expect(cookies).toEqual([expect.objectContaining({ name: `presslink_session_${server.port}`, httpOnly: true, sameSite: 'Strict' })]);
    // The page keeps no credential of its own.
    expect(await page.evaluate(() => Object.keys(sessionStorage).length + Object.keys(localStorage).length)).toBe(0);
    // Live events flow: a pause from another client shows up.
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count(), { timeout: 10_000 }).toBe(1);
    await callApi(server.url, 'sync.pause');
    await expect.poll(() => page.getByRole('button', { name: 'Resume' }).count(), { timeout: 10_000 }).toBe(1);
    await callApi(server.url, 'sync.resume');
    // A reload stays signed in.
    await page.reload();
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 15_000 }).toBe('unconfigured');
    expect(await page.getByRole('heading', { name: 'Sign in to Presslink' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a spent link says so; a wrong code is refused; a pasted fresh link signs in', async () => {
    const page = await newPage();
    await page.goto(server.link);
    await page.getByTestId('signin-expired').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('signin-expired').textContent()).toMatch(/expired or was already used/);
    // A clean address: the spent code is gone.
    expect(page.url()).toMatch(new RegExp(`^${server.url}/(#/setup)?$`));

    await page.getByLabel('Sign-in link or code').fill('not-a-valid-code-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();

    await page.getByLabel('Sign-in link or code').fill(await server.signInUrl());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('health-badge').first().getAttribute('data-health'), { timeout: 15_000 }).toBe('unconfigured');
    expect(await page.getByRole('heading', { name: 'Sign in to Presslink' }).count()).toBe(0);
  });
});
