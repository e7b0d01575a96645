/**
 * The figures a benchmark prints: one row per measurement, its budget (if it has one) and whether
 * the budget holds. `finish()` prints the table and sets the exit code the runner reads.
 */

/**
 * A budget: the figure must stay at or below `max` (or strictly below, with `exclusive`), and at
 * or above `min` when given (`min === max` is an exact count).
 */
export interface Budget {
  max: number;
  min?: number;
  /** `true` for "under" budgets (`<`), the default is "at most" (`≤`). */
  exclusive?: boolean;
  /** Text shown instead of the number (e.g. "first page + 50 ms"). */
  label?: string;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  budget?: Budget;
  /** One short remark printed under the table (e.g. what a figure contains, or why it missed). */
  note?: string;
}

import { availableParallelism, loadavg } from 'node:os';

/** Collects figures and prints them as a table next to their budgets. */
export class Report {
  readonly title: string;
  readonly #figures: Figure[] = [];
  readonly #notes: string[] = [];
  readonly #grids: string[] = [];

  constructor(title: string) {
    this.title = title;
  }

  /** Adds a figure; returns whether it is within its budget (always true without one). */
  add(figure: Figure): boolean {
    this.#figures.push(figure);
    if (figure.note) this.#notes.push(`${figure.name}: ${figure.note}`);
    return withinBudget(figure);
  }

  /** A table of its own, printed above the figures (e.g. one column per page compared). */
  grid(title: string, header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    this.#grids.push([title, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  }

  /** A line printed under the table. */
  note(text: string): void {
    this.#notes.push(text);
  }

  get missed(): Figure[] {
    return this.#figures.filter((f) => !withinBudget(f));
  }

  /** The table as text: figure, value, budget, verdict. */
  render(): string {
    const rows = this.#figures.map((f) => [
      f.name,
      `${formatNumber(f.value)} ${f.unit}`.trim(),
      f.budget ? (f.budget.label ?? budgetText(f.budget, f.unit)) : '',
      f.budget ? (withinBudget(f) ? 'met' : 'MISSED') : '',
    ]);
    const header = ['figure', 'measured', 'budget', 'verdict'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    return [
      this.title,
      ...this.#grids.flatMap((grid) => [grid, '']),
      line(header),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map(line),
      ...this.#notes.map((n) => `  · ${n}`),
    ].join('\n');
  }

  /** Prints the table and the verdict; returns the exit code (1 when a budget is missed). */
  finish(): number {
    // Timings on a busy machine are not comparable with a quiet one's; say which it was.
    const [one, five] = loadavg();
    this.note(
      `Machine: ${availableParallelism()} cores, load average ${one?.toFixed(1)} (1 min), ${five?.toFixed(1)} (5 min) at the end.`,
    );
    console.log(this.render());
    const missed = this.missed;
    if (missed.length === 0) {
      console.log('All budgets met.');
      return 0;
    }
    console.log(`Budget missed: ${missed.map((f) => f.name).join('; ')}.`);
    return 1;
  }
}

export function withinBudget(figure: Figure): boolean {
  const { budget, value } = figure;
  if (!budget) return true;
  if (!Number.isFinite(value)) return false;
  if (budget.min !== undefined && value < budget.min) return false;
  return budget.exclusive ? value < budget.max : value <= budget.max;
}

function budgetText(budget: Budget, unit: string): string {
  if (budget.min === budget.max) return `= ${formatNumber(budget.max)} ${unit}`.trim();
  const upper = `${budget.exclusive ? '<' : '≤'} ${formatNumber(budget.max)} ${unit}`.trim();
  return budget.min === undefined ? upper : `${formatNumber(budget.min)}–${upper.slice(2)}`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The median of some samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Bytes as KB (1 KB = 1024 bytes) with one decimal. */
export function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}
