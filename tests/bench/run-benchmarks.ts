/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` in its own process, one after another (they
 * measure, so they must not compete for the machine's two cores), and prints each one's verdict.
 * A benchmark prints its figures next to its budgets and exits non-zero when a budget is missed.
 *
 * `npm run bench -- proxy` runs only the benchmarks whose file name contains "proxy".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const HERE = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(HERE)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(
    filters.length ? `No benchmark in tests/bench/ matches ${filters.join(', ')}.` : 'No benchmark in tests/bench/.',
  );
  process.exit(1);
}

const verdicts: { name: string; ok: boolean; seconds: number }[] = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, file)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  verdicts.push({ name: file, ok: result.status === 0, seconds: (performance.now() - started) / 1000 });
}

console.log('\nBenchmarks:');
for (const v of verdicts)
  console.log(`  ${v.ok ? 'within budget' : 'BUDGET MISSED'}  ${v.name} (${v.seconds.toFixed(1)} s)`);
const missed = verdicts.filter((v) => !v.ok).length;
console.log(`${verdicts.length - missed} within budget, ${missed} missed`);
process.exit(missed === 0 ? 0 : 1);
