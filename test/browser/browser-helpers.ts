import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/screenshots');

/** Debian's Chromium, never a downloaded browser build. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    acceptDownloads: true,
  });
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForLoadState('domcontentloaded');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.waitForURL(/\/\?utloggad=1$/);
}

/** Serious and critical WCAG 2.1 A/AA violations of the page (axe-core). */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact!, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = name
    .replace(/[^a-z0-9åäö_-]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  await page.screenshot({ path: path.join(SCREENSHOTS, `${file}.png`), fullPage: true });
}

/** Presses Tab until the focused element matches the selector (keyboard-only navigation). */
export async function tabTo(page: Page, selector: string, maxPresses = 250): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${selector} with the Tab key`);
}

/** Same-origin page links of the current page, without downloads, logout and the third-party queue UI. */
export async function pageLinks(page: Page): Promise<string[]> {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  return [
    ...new Set(
      hrefs.filter(
        (h) =>
          h.startsWith('/') &&
          !h.startsWith('/rapporter/export') &&
          !h.startsWith('/nationell-uppfoljning/export') &&
          !h.startsWith('/admin/koer') &&
          !h.startsWith('/api/') &&
          !h.includes('#'),
      ),
    ),
  ];
}
