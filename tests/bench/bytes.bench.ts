/**
 * Bytes: `npx tsx tests/bench/bytes.bench.ts` (or `npm run bench -- bytes`).
 *
 * Builds the app with the project's vite.config.ts into a temporary folder and splits its
 * JavaScript into what the browser must run before the first paint (the entry script of the
 * built index.html and everything it imports statically), what the HTML announces with
 * `modulepreload` for start-up (loaded beside the entry, not holding up the first paint; with the
 * entry, the path to clusters), and the rest (chunks loaded later with `import()`), raw and gzip (level 9, as gzip-size and most budgets
 * measure). MSAL's share comes from the build's own module lists: the rendered code of every
 * module from `@azure/msal-browser` / `@azure/msal-common`, gzipped together.
 *
 * Budgets (issue 8): first paint ≤ 25 KB gzip of JS; the whole app ≤ 100 KB gzip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { buildApp, temporaryDir } from './support/app-server.ts';
import { kb, Report } from './support/report.ts';

const FIRST_PAINT_BUDGET_KB = 25;
const WHOLE_APP_BUDGET_KB = 100;
const MSAL_MODULE = /[\\/]node_modules[\\/]@azure[\\/]msal-(browser|common)[\\/]/;

type Chunk = Rolldown.OutputChunk;

const gzipSize = (text: string | Uint8Array) => gzipSync(text, { level: 9 }).length;
const rawSize = (text: string) => Buffer.byteLength(text);

/**
 * The JS files the built index.html runs before anything renders: its module scripts and what
 * they import statically. With `preload: true`, the `modulepreload` links instead (and their
 * static imports): chunks fetched beside the entry, which do not hold up the first paint.
 */
export function firstPaintFiles(
  html: string,
  chunks: ReadonlyMap<string, Chunk>,
  base = '/',
  preload = false,
): Set<string> {
  const roots: string[] = [];
  const attr = /<(script|link)\b[^>]*>/gi;
  for (const match of html.matchAll(attr)) {
    const tag = match[0];
    const isModuleScript = /^<script/i.test(tag) && /\btype=["']?module/i.test(tag);
    const isPreload = /^<link/i.test(tag) && /\brel=["']?modulepreload/i.test(tag);
    if (preload ? !isPreload : !isModuleScript) continue;
    const url = /\b(?:src|href)=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (url) roots.push(url.startsWith(base) ? url.slice(base.length) : url);
  }
  const needed = new Set<string>();
  const visit = (file: string) => {
    if (needed.has(file)) return;
    const chunk = chunks.get(file);
    if (!chunk) return;
    needed.add(file);
    for (const imported of chunk.imports) visit(imported);
  };
  for (const root of roots) visit(root);
  return needed;
}

/** The part of a chunk's rendered code that comes from MSAL's modules. */
function msalFraction(chunk: Chunk): number {
  let total = 0;
  let msal = 0;
  for (const [id, info] of Object.entries(chunk.modules)) {
    total += info.renderedLength;
    if (MSAL_MODULE.test(id)) msal += info.renderedLength;
  }
  return total === 0 ? 0 : msal / total;
}

function packageOf(rawId: string): string {
  const id = rawId.replace(/^\0/, '');
  const nm = id.lastIndexOf('node_modules/');
  if (nm === -1) return id.includes('/src/app/') ? `src/app/${id.split('/src/app/')[1]?.split('/')[0] ?? ''}` : id;
  const rest = id.slice(nm + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? id);
}

/** The largest contributors to a chunk, by rendered length: "msal-browser 60%, preact 10%". */
function topPackages(chunk: Chunk, limit = 3): string {
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [id, info] of Object.entries(chunk.modules)) {
    total += info.renderedLength;
    const name = packageOf(id);
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.renderedLength);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, length]) => `${name} ${Math.round((length / Math.max(1, total)) * 100)}%`)
    .join(', ');
}

async function main(): Promise<number> {
  const outDir = temporaryDir('explorer-bench-bytes-');
  const started = performance.now();
  const bundle = await buildApp(outDir);
  const buildSeconds = (performance.now() - started) / 1000;

  const chunks = new Map<string, Chunk>();
  for (const item of bundle.output) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const firstPaint = firstPaintFiles(html, chunks);
  const preloaded = firstPaintFiles(html, chunks, '/', true);
  for (const file of firstPaint) preloaded.delete(file);
  if (firstPaint.size === 0)
    throw new Error(`The built index.html (${outDir}) loads no module script; cannot tell what the first paint needs.`);

  const sizes = [...chunks.values()].map((chunk) => ({
    chunk,
    raw: rawSize(chunk.code),
    gzip: gzipSize(chunk.code),
    first: firstPaint.has(chunk.fileName),
    preloaded: preloaded.has(chunk.fileName),
    msal: chunk.moduleIds.some((id) => MSAL_MODULE.test(id)),
  }));
  const sum = (list: typeof sizes, key: 'raw' | 'gzip') => list.reduce((n, s) => n + s[key], 0);
  const first = sizes.filter((s) => s.first);
  const startup = sizes.filter((s) => s.preloaded);
  const lazy = sizes.filter((s) => !s.first && !s.preloaded);
  const totalGzip = sum(sizes, 'gzip');

  // A module's rendered code is not yet minified, so MSAL's bytes are estimated per chunk: the
  // chunk's gzip size times MSAL's share of the chunk's rendered length.
  const msalGzip = sizes.reduce((n, s) => n + s.gzip * msalFraction(s.chunk), 0);
  const msalChunksGzip = sum(
    sizes.filter((s) => s.msal),
    'gzip',
  );
  const msalInFirstPaint = first.filter((s) => s.msal).map((s) => s.chunk.fileName);

  const css = bundle.output.filter(
    (item): item is Rolldown.OutputAsset => item.type === 'asset' && item.fileName.endsWith('.css'),
  );

  const report = new Report(
    `Bytes of the production build (vite build, ${buildSeconds.toFixed(1)} s; gzip level 9; 1 KB = 1024 bytes)`,
  );
  report.add({
    name: 'JS before first paint, gzip',
    value: kb(sum(first, 'gzip')),
    unit: 'KB',
    budget: { max: FIRST_PAINT_BUDGET_KB },
    ...(msalInFirstPaint.length
      ? { note: `MSAL is in the first-paint chunk(s) ${msalInFirstPaint.join(', ')}; it should load with import().` }
      : {}),
  });
  report.add({ name: 'JS before first paint, raw', value: kb(sum(first, 'raw')), unit: 'KB' });
  // The entry starts its dynamic imports the moment it runs (src/app/main.tsx), so each of them
  // and their static imports must be announced in the HTML, and nothing imported later may be.
  const startupNeeded = new Set<string>();
  const visitStartup = (file: string) => {
    const chunk = chunks.get(file);
    if (!chunk || startupNeeded.has(file) || firstPaint.has(file)) return;
    startupNeeded.add(file);
    for (const imported of chunk.imports) visitStartup(imported);
  };
  for (const file of firstPaint) for (const dynamic of chunks.get(file)?.dynamicImports ?? []) visitStartup(dynamic);
  const unannounced = [...startupNeeded].filter((file) => !preloaded.has(file));
  const overAnnounced = [...preloaded].filter((file) => !startupNeeded.has(file));
  report.add({
    name: 'start-up chunks the HTML does not announce (modulepreload)',
    value: unannounced.length,
    unit: '',
    budget: { max: 0, min: 0 },
    ...(unannounced.length ? { note: `they load one round trip late: ${unannounced.join(', ')}` } : {}),
  });
  report.add({
    name: 'later chunks the HTML announces anyway',
    value: overAnnounced.length,
    unit: '',
    budget: { max: 0, min: 0 },
    ...(overAnnounced.length ? { note: `they compete with start-up: ${overAnnounced.join(', ')}` } : {}),
  });
  report.add({
    name: 'JS announced with modulepreload (loads beside the entry), gzip',
    value: kb(sum(startup, 'gzip')),
    unit: 'KB',
  });
  report.add({
    name: 'JS on the path to clusters (entry + modulepreload), gzip',
    value: kb(sum(first, 'gzip') + sum(startup, 'gzip')),
    unit: 'KB',
  });
  report.add({ name: 'JS loaded lazily, gzip', value: kb(sum(lazy, 'gzip')), unit: 'KB' });
  report.add({ name: 'JS loaded lazily, raw', value: kb(sum(lazy, 'raw')), unit: 'KB' });
  report.add({
    name: 'JS of the whole app, gzip',
    value: kb(totalGzip),
    unit: 'KB',
    budget: { max: WHOLE_APP_BUDGET_KB },
  });
  report.add({ name: 'JS of the whole app, raw', value: kb(sum(sizes, 'raw')), unit: 'KB' });
  report.add({ name: "MSAL (its modules' share of each chunk), gzip", value: kb(msalGzip), unit: 'KB' });
  report.add({ name: 'chunks that contain MSAL, gzip', value: kb(msalChunksGzip), unit: 'KB' });
  report.add({
    name: 'MSAL share of the whole app (gzip)',
    value: Math.round((msalGzip / Math.max(1, totalGzip)) * 1000) / 10,
    unit: '%',
  });
  for (const asset of css) {
    const text = typeof asset.source === 'string' ? asset.source : Buffer.from(asset.source).toString();
    report.add({ name: `CSS ${asset.fileName}, gzip`, value: kb(gzipSize(text)), unit: 'KB' });
  }
  report.note('Chunks (first = needed before first paint, start = modulepreload, lazy = later):');
  const rank = (s: (typeof sizes)[number]) => (s.first ? 2 : s.preloaded ? 1 : 0);
  for (const s of [...sizes].sort((a, b) => rank(b) - rank(a) || b.gzip - a.gzip)) {
    report.note(
      `  ${s.first ? 'first' : s.preloaded ? 'start' : 'lazy '} ${s.chunk.fileName}: ${kb(s.raw)} KB raw, ${kb(s.gzip)} KB gzip${s.msal ? ' [MSAL]' : ''} — ${topPackages(s.chunk)}`,
    );
  }
  return report.finish();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The bytes benchmark failed:', error);
    process.exit(2);
  },
);
