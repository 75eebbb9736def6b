import { chromium, type Browser } from 'playwright-core';

/** The Debian package's binary unless the machine keeps Chromium elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium for the browser suite and the console benchmark. Playwright gives every
 * launch a fresh temporary profile (its own --user-data-dir) and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
