import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { z } from 'zod';
import { crossCheck, resolveTenants } from './config-checks.ts';
import {
  appSchema,
  type SandboxConfig,
  type SandboxConfigInput,
  sandboxConfigObject,
  resourceSchema,
  tenantSchema,
  userSchema,
} from './config-schema.ts';
import { DEMO_CONFIG_INPUT } from './demo-config.ts';

/**
 * Loading the sandbox configuration file (`--config`, JSON with comments): parse it with
 * jsonc-parser, check it against the schema (`config-schema.ts`) and across sections
 * (`config-checks.ts`), fill in the demo defaults (`demo-config.ts`), and report each problem
 * at its line and column.
 */

/** Stable error codes of {@link SandboxConfigError}. */
export type SandboxConfigErrorCode = 'SANDBOX_CONFIG_INVALID' | 'SANDBOX_CONFIG_UNREADABLE';

/** One problem in a configuration file, with where it is. */
export interface SandboxConfigIssue {
  /** `users[2].password`, or `(root)`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The configuration file cannot be read or is invalid. `issues` lists every problem; the message
 * has one line per problem, `file:line:column: path: message`.
 */
export class SandboxConfigError extends Error {
  override name = 'SandboxConfigError';
  readonly code: SandboxConfigErrorCode;
  readonly source: string;
  readonly issues: SandboxConfigIssue[];

  /** Where the file was named: the `--config` flag or the `EXPLORER_SANDBOX_CONFIG` variable. */
  readonly setting: string;

  constructor(
    code: SandboxConfigErrorCode,
    source: string,
    issues: SandboxConfigIssue[],
    options?: ErrorOptions,
    setting = '--config',
  ) {
    const lines = issues.map(
      (issue) => `${basename(source)}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`,
    );
    const named = setting === '--config' ? '' : ` (${setting})`;
    const what =
      code === 'SANDBOX_CONFIG_UNREADABLE'
        ? `Cannot read the sandbox configuration ${source}${named}.`
        : `The sandbox configuration ${source}${named} is invalid:`;
    const instead = setting === '--config' ? 'leave out --config' : `unset ${setting}`;
    super(`${what}\n${lines.join('\n')}\nFix the file, or ${instead} to use the built-in demo configuration.`, options);
    this.setting = setting;
    this.code = code;
    this.source = source;
    this.issues = issues;
  }
}

/**
 * Parses and checks a configuration file's text (JSON with comments). `source` names the file in
 * messages.
 * @throws {SandboxConfigError} `SANDBOX_CONFIG_INVALID`, with the line and column of each problem.
 */
export function parseSandboxConfig(text: string, source: string): SandboxConfig {
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0 || root === undefined) {
    const issues = syntaxErrors.map((error) => ({
      path: '(syntax)',
      ...lineColumn(text, error.offset),
      message: `${describeSyntaxError(printParseErrorCode(error.error))}`,
    }));
    if (issues.length === 0)
      issues.push({ path: '(root)', line: 1, column: 1, message: 'the file is empty; expected a JSON object' });
    throw new SandboxConfigError('SANDBOX_CONFIG_INVALID', source, issues);
  }
  const value: unknown = JSON.parse(JSON.stringify(getNodeValue(root)));
  const result = sandboxConfigObject.safeParse(value);
  if (!result.success) {
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_INVALID',
      source,
      result.error.issues.map((issue) => locateIssue(issue, root, text)),
    );
  }
  const users = result.data.users ?? z.array(userSchema).parse(DEMO_CONFIG_INPUT.users);
  const upns = new Set(users.map((user) => user.upn));
  const merged = {
    ...result.data,
    tenants: result.data.tenants ?? z.array(tenantSchema).parse(DEMO_CONFIG_INPUT.tenants),
    users,
    // The demo apps' consents name demo users; with the file's own users, keep those that exist.
    apps:
      result.data.apps ??
      z
        .array(appSchema)
        .parse(DEMO_CONFIG_INPUT.apps)
        .map((app) => ({ ...app, consentedUsers: app.consentedUsers.filter((upn) => upns.has(upn)) })),
    resources: result.data.resources ?? z.array(resourceSchema).parse(DEMO_CONFIG_INPUT.resources),
  };
  const problems = crossCheck(merged);
  if (problems.length > 0) {
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_INVALID',
      source,
      problems.map(({ path, message }) =>
        locateIssue({ path, message, code: 'custom' } as z.core.$ZodIssue, root, text),
      ),
    );
  }
  return resolveTenants(merged);
}

/**
 * Reads and checks a configuration file; without a path, returns {@link DEFAULT_SANDBOX_CONFIG}.
 * `setting` names where the path came from in messages (`--config`, `EXPLORER_SANDBOX_CONFIG`).
 * @throws {SandboxConfigError} `SANDBOX_CONFIG_UNREADABLE` or `SANDBOX_CONFIG_INVALID`.
 */
export async function loadSandboxConfig(path?: string, setting = '--config'): Promise<SandboxConfig> {
  if (path === undefined) return structuredClone(DEFAULT_SANDBOX_CONFIG);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new SandboxConfigError(
      'SANDBOX_CONFIG_UNREADABLE',
      path,
      [{ path: '(file)', line: 1, column: 1, message: `${reason}; check the path given to ${setting}` }],
      { cause: error },
      setting,
    );
  }
  try {
    return parseSandboxConfig(text, path);
  } catch (error) {
    if (!(error instanceof SandboxConfigError) || setting === '--config') throw error;
    throw new SandboxConfigError(error.code, error.source, error.issues, { cause: error }, setting);
  }
}

/** The built-in demo configuration: the Contoso tenant, six demo users, the two demo apps. */
export const DEFAULT_SANDBOX_CONFIG: SandboxConfig = parseSandboxConfig('{}', 'built-in default');

/** The demo configuration as it would be written in a file (for documentation and tests). */
export const DEFAULT_SANDBOX_CONFIG_INPUT: SandboxConfigInput = DEMO_CONFIG_INPUT;

/** A JSON Schema (draft 2020-12) of the configuration file, for editors. */
export function sandboxConfigJsonSchema(): unknown {
  return z.toJSONSchema(sandboxConfigObject, { io: 'input', unrepresentable: 'any' });
}

function locateIssue(issue: z.core.$ZodIssue, root: Node, text: string): SandboxConfigIssue {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  let offset = 0;
  let shownPath = path;
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    shownPath = [...path, key];
    const owner = findNodeAtLocation(root, path);
    const property = owner?.children?.find((child) => child.children?.[0]?.value === key);
    offset = property?.offset ?? owner?.offset ?? 0;
    message = `unknown key${issue.keys.length > 1 ? `s ${issue.keys.map((k) => `"${k}"`).join(', ')}` : ` "${key}"`}; check its spelling or remove it`;
  } else {
    // The deepest node that exists: a missing key is reported at the object that lacks it.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = findNodeAtLocation(root, path.slice(0, depth));
      if (node !== undefined) {
        offset = node.offset;
        if (depth < path.length && issue.code === 'invalid_type')
          message = `required key is missing (expected ${issue.expected})`;
        break;
      }
    }
  }
  return { path: formatPath(shownPath), ...lineColumn(text, offset), message };
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `${index === 0 ? '' : '.'}${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describeSyntaxError(code: string): string {
  const known: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected text after the end of the JSON value',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfComment: 'unterminated comment',
    InvalidEscapeCharacter: 'invalid escape in a string',
    InvalidCharacter: 'invalid character in a string',
  };
  return `JSON syntax error: ${known[code] ?? code}`;
}
