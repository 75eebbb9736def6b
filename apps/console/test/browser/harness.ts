import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../build/build.js';
import { launchChromium } from '../../build/chromium.js';
import { oncePerRun } from '../../../../tests/runner/once.js';
import { startPlatform, type FuzzPlatform } from '../../../../tests/security/platform.js';

export const DEMO_PASSWORD = 'tributary-demo';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleRig {
  platform: FuzzPlatform;
  browser: Browser;
  /** The gateway's origin: the console and every API on one origin. */
  origin: string;
  stop(): Promise<void>;
}

/**
 * Every service as `tributary up` runs them (in-memory PGlite, demo users seeded), the gateway
 * serving the freshly built console, and one headless Chromium on a fresh profile. `env` adds
 * settings for every service (the kiosk suite names its device bridge).
 */
export async function startRig(env: Record<string, string> = {}): Promise<ConsoleRig> {
  // Both browser suites serve the bundle: one of them builds it while the other waits.
  await oncePerRun('console-build', async () => {
    await ensureConsoleBuilt();
  });
  const platform = await startPlatform({ ...env, CONSOLE_DIR: CONSOLE_DIST });
  try {
    const browser = await launchChromium();
    return {
      platform,
      browser,
      origin: platform.node('gateway').url,
      async stop() {
        await browser.close();
        await platform.stop();
      },
    };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}

/** A user name of the seeded demo users: one per group, the group in lower case. */
export function userOf(group: string): string {
  return group.toLowerCase();
}

export async function freshPage(rig: ConsoleRig): Promise<{ context: BrowserContext; page: Page }> {
  const context = await rig.browser.newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: 'Europe/Berlin',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(`${rig.origin}/`);
  return { context, page };
}

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A signed-in page of the group's demo user, showing the shell. */
export async function pageAs(rig: ConsoleRig, group: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await freshPage(rig);
  await signIn(opened.page, userOf(group));
  await opened.page.getByRole('button', { name: 'Sign out' }).waitFor();
  return opened;
}

export async function navTitles(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
}

export async function openPage(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 2 }).first().waitFor();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core over the whole page. It is evaluated through the DevTools protocol, which the page's
 * CSP does not govern, so the console keeps its strict policy under test.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  // A string, not a function: this file is compiled without the DOM library.
  const violations = (await page.evaluate('axe.run(document).then((result) => result.violations)')) as AxeViolation[];
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(serious, `accessibility of ${label}`).toEqual([]);
}

/** The API as a non-browser client of one group sees it (bearer token from the JSON login). */
export async function apiAs(rig: ConsoleRig, username: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${rig.origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const { accessToken, user } = (await login.json()) as { accessToken: string; user: { userId: string } };
  return {
    userId: user.userId,
    call: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${rig.origin}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}
