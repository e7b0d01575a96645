/**
 * Debian's Chromium, as every browser test and benchmark launches it (never a downloaded browser).
 * This machine has no route to Google's hosts; without the networking flags Chromium keeps trying.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  '--no-sandbox',
];
