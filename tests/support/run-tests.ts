/**
 * `npm test`: type-check, then unit and component tests (Vitest), then end-to-end journeys
 * (Playwright in Debian's Chromium). Ends with one line, `N passed, N failed`, summed over both
 * runners, and exits non-zero if anything failed.
 *
 * Flags: `--no-e2e` skips Playwright, `--only-e2e` skips type-check and Vitest; anything else is
 * passed to both runners as a filter.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './chromium.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results');

const args = process.argv.slice(2);
const runE2e = !args.includes('--no-e2e');
const runUnit = !args.includes('--only-e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function run(command: string, commandArgs: string[], env: Record<string, string> = {}): number {
  const result = spawnSync(command, commandArgs, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...env },
  });
  return result.status ?? 1;
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const install = 'apt-get update && apt-get install -y chromium';
  if (!isRoot) {
    console.error(`End-to-end tests need Debian's Chromium at ${CHROMIUM_PATH}, and it is missing.`);
    console.error(`Install it as root, then run npm test again:\n\n  sudo sh -c '${install}'\n`);
    process.exit(1);
  }
  console.log(`Chromium is missing at ${CHROMIUM_PATH}; installing Debian's chromium package (${install}).`);
  const status = run('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${install}`]);
  if (status !== 0 || !existsSync(CHROMIUM_PATH)) {
    console.error(`Installing Chromium failed (exit ${status}). Run '${install}' by hand and look at its errors.`);
    process.exit(1);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

interface Tally {
  passed: number;
  failed: number;
}

function vitestTally(path: string, status: number): Tally {
  const report = readJson(path) as { numPassedTests?: number; numFailedTests?: number } | undefined;
  if (!report) return { passed: 0, failed: status === 0 ? 0 : 1 };
  const failed = report.numFailedTests ?? 0;
  // A crash outside any test (a broken import, a failing hook) still has to count as a failure.
  return { passed: report.numPassedTests ?? 0, failed: failed === 0 && status !== 0 ? 1 : failed };
}

function playwrightTally(path: string, status: number): Tally {
  const report = readJson(path) as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | undefined;
  if (!report?.stats) return { passed: 0, failed: status === 0 ? 0 : 1 };
  const failed = (report.stats.unexpected ?? 0) + (report.stats.flaky ?? 0);
  return { passed: report.stats.expected ?? 0, failed: failed === 0 && status !== 0 ? 1 : failed };
}

mkdirSync(RESULTS, { recursive: true });
const total: Tally = { passed: 0, failed: 0 };
const add = (t: Tally) => {
  total.passed += t.passed;
  total.failed += t.failed;
};

if (runUnit) {
  console.log('\n▶ Type-checking (npm run typecheck)');
  if (run('npm', ['run', '--silent', 'typecheck']) !== 0) {
    console.error('Type-checking failed; fix the errors above. No test was run.');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log('\n▶ Unit and component tests (Vitest)');
  const report = join(RESULTS, 'vitest.json');
  rmSync(report, { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...filters,
  ]);
  add(vitestTally(report, status));
}

if (runE2e) {
  console.log('\n▶ End-to-end journeys (Playwright, Debian Chromium)');
  ensureChromium();
  const report = join(RESULTS, 'e2e.json');
  rmSync(report, { force: true });
  const status = run('npx', ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts', ...filters], {
    E2E_REPORTER: 'json',
  });
  add(playwrightTally(report, status));
}

const summary = `${total.passed} passed, ${total.failed} failed`;
writeFileSync(join(RESULTS, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(total.failed === 0 ? 0 : 1);
