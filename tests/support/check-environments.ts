/**
 * Proves the environment boundary that the tsconfig files promise (part of `npm run typecheck`):
 * in each part, a probe file that uses the other environment must fail to compile, and a probe
 * that uses the part's own environment must compile. Each probe is type-checked as one more file
 * of the part's real program (its tsconfig and all its files), so a type package that drags in
 * the DOM or Node's types through an import (Preact's JSX types reference the DOM library) is
 * caught too, not only the compiler options.
 *
 * Exits non-zero, naming the part and the probe, when a probe compiles that must not, or fails
 * that must compile.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');

/** Uses the DOM: must not compile in Node code. */
const DOM_PROBE = `document.title = 'probe';\nexport const width: number = window.innerWidth;\n`;
/** Uses Node: must not compile in browser code. */
const NODE_PROBE = `import { readFileSync } from 'node:fs';\nexport const text: string = readFileSync('x', 'utf8') + process.cwd();\n`;

type Environment = 'browser' | 'node';

/** Every project that `tsc -b` builds, with the environment its code runs in. */
const PARTS: readonly { config: string; environment: Environment; domForPageCode?: true }[] = [
  { config: 'src/app/tsconfig.json', environment: 'browser' },
  { config: 'tests/app/tsconfig.json', environment: 'browser' },
  { config: 'src/proxy/tsconfig.json', environment: 'node' },
  { config: 'src/sandbox/tsconfig.json', environment: 'node' },
  { config: 'src/tsconfig.vite-config.json', environment: 'node' },
  { config: 'tests/proxy/tsconfig.json', environment: 'node' },
  { config: 'tests/sandbox/tsconfig.json', environment: 'node' },
  { config: 'tests/support/tsconfig.json', environment: 'node' },
  // Playwright and benchmark code runs in Node but hands functions to the page (page.evaluate),
  // so these two also declare the DOM; they must still refuse nothing from Node.
  { config: 'tests/e2e/tsconfig.json', environment: 'node', domForPageCode: true },
  { config: 'tests/bench/tsconfig.json', environment: 'node', domForPageCode: true },
];

/** Diagnostics of `probe` when compiled as one more file of the project at `configPath`. */
function diagnoseProbe(configPath: string, probe: string): readonly ts.Diagnostic[] {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath);
  const probePath = join(dirname(configPath), '__environment_probe__.ts');
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === probePath
      ? ts.createSourceFile(fileName, probe, languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === probePath || fileExists(fileName);
  const program = ts.createProgram({
    rootNames: [...parsed.fileNames, probePath],
    options: { ...parsed.options, incremental: false, tsBuildInfoFile: undefined },
    host,
  });
  const file = program.getSourceFile(probePath);
  if (!file) throw new Error(`${configPath}: the probe file was not part of the program`);
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
}

const failures: string[] = [];
let checks = 0;
for (const part of PARTS) {
  const configPath = join(ROOT, part.config);
  const foreign = part.environment === 'browser' ? NODE_PROBE : DOM_PROBE;
  const own = part.environment === 'browser' ? DOM_PROBE : NODE_PROBE;
  const what = part.environment === 'browser' ? 'a Node import and `process`' : '`document` and `window`';
  if (!part.domForPageCode) {
    checks++;
    if (diagnoseProbe(configPath, foreign).length === 0) {
      failures.push(`${part.config}: ${what} compiled in ${part.environment} code; it must be a type error.`);
    }
  }
  checks++;
  const ownErrors = diagnoseProbe(configPath, own);
  if (ownErrors.length > 0) {
    const first = ts.flattenDiagnosticMessageText(ownErrors[0]!.messageText, ' ');
    failures.push(`${part.config}: ${part.environment} code failed to compile in its own environment (${first}).`);
  }
}

if (failures.length > 0) {
  console.error(`Environment boundary broken:\n  ${failures.join('\n  ')}`);
  console.error('Fix the tsconfig.json of the part named (lib, types, jsx) or the import that drags the types in.');
  process.exit(1);
}
console.info(`Environment boundary holds (${checks} probes in ${PARTS.length} projects).`);
