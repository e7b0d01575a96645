/**
 * The app's one lossless JSON reader. `JSON.parse` turns every number into a double, so a 19-digit
 * integer such as Databricks' `spark_context_id` or a `run_id` comes back rounded. {@link parseLossless}
 * reads the text into a tree whose numbers (and strings) keep their source text; printers over that
 * tree lay it out again: {@link formatJson} for the cluster details drawer (everything as written),
 * {@link stringifyLossless} for the API Explorer (strings re-encoded). Strict RFC 8259 syntax;
 * duplicate keys are kept in order, as received.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */

export type JsonNode =
  | { kind: 'object'; entries: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  /** `raw`: the literal as written, quotes and escapes included (absent on nodes built in code). */
  | { kind: 'string'; value: string; raw?: string }
  | { kind: 'number'; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** The text is not JSON; `offset` is where reading stopped (0-based; the message counts from 1). Never carries the text. */
export class JsonSyntaxError extends Error {
  readonly code = 'JSON_SYNTAX';
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly offset: number,
    what: string,
  ) {
    super(`Not valid JSON at character ${offset + 1}: ${what}.`);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: [string, JsonNode][] = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];

/**
 * Parses JSON text into a {@link JsonNode} tree, numbers and string literals kept as written.
 * @throws {JsonSyntaxError} naming the position of the first error
 */
export function parseLossless(text: string): JsonNode {
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(at, what);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at] as string)) at += 1;
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail(`expected ${JSON.stringify(char)}, found ${describeChar(text[at])}`);
    at += 1;
  };
  const string = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('the string is not closed');
      if (char === '"') {
        at += 1;
        return out;
      }
      if (char === '\\') {
        const next = text[at + 1] ?? '';
        if (next === 'u') {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('a \\u escape needs four hex digits');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          at += 6;
        } else {
          const escaped = ESCAPES[next];
          if (escaped === undefined) fail(`unknown escape \\${next}`);
          out += escaped;
          at += 2;
        }
        continue;
      }
      if ((char as string) < ' ') fail('a control character inside a string');
      out += char;
      at += 1;
    }
  };
  /** Reads comma-separated `item`s up to `close`; the opening bracket is already read. */
  const sequence = (close: '}' | ']', item: () => void) => {
    space();
    if (text[at] === close) {
      at += 1;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[at] === ',') at += 1;
      else if (text[at] === close) {
        at += 1;
        return;
      } else fail(`expected "," or "${close}", found ${describeChar(text[at])}`);
    }
  };
  const value = (depth: number): JsonNode => {
    if (depth > 512) fail('nesting deeper than 512 levels');
    space();
    const char = text[at];
    if (char === '{') {
      at += 1;
      const entries: [string, JsonNode][] = [];
      sequence('}', () => {
        space();
        const key = string();
        space();
        expect(':');
        entries.push([key, value(depth + 1)]);
      });
      return { kind: 'object', entries };
    }
    if (char === '[') {
      at += 1;
      const items: JsonNode[] = [];
      sequence(']', () => items.push(value(depth + 1)));
      return { kind: 'array', items };
    }
    if (char === '"') {
      const start = at;
      const decoded = string();
      return { kind: 'string', value: decoded, raw: text.slice(start, at) };
    }
    for (const [word, node] of LITERALS) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return node;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match) {
      at += match[0].length;
      return { kind: 'number', raw: match[0] };
    }
    return fail(`unexpected ${describeChar(char)}`);
  };
  const root = value(0);
  space();
  if (at < text.length) fail(`unexpected ${describeChar(text[at])} after the value`);
  return root;
}

function describeChar(char: string | undefined): string {
  return char === undefined ? 'the end of the text' : JSON.stringify(char);
}

/**
 * JSON text of a tree. `indent` spaces per level (0: one line); `{}` and `[]` stay on one line.
 * Numbers are always as written; strings as written when `asWritten` and the node has its
 * source literal, otherwise re-encoded by `JSON.stringify`.
 */
function print(node: JsonNode, indent: number, asWritten: boolean, level: number): string {
  const pad = (n: number) => (indent ? `\n${' '.repeat(indent * n)}` : '');
  const colon = indent ? ': ' : ':';
  switch (node.kind) {
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{${node.entries
        .map(
          ([key, child]) =>
            `${pad(level + 1)}${JSON.stringify(key)}${colon}${print(child, indent, asWritten, level + 1)}`,
        )
        .join(',')}${pad(level)}}`;
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[${node.items.map((child) => `${pad(level + 1)}${print(child, indent, asWritten, level + 1)}`).join(',')}${pad(level)}]`;
    case 'string':
      return asWritten && node.raw !== undefined ? node.raw : JSON.stringify(node.value);
    default:
      // A number, boolean or null reads as it is written.
      return scalarText(node) ?? 'null';
  }
}

/** JSON text of a node, numbers as written and strings re-encoded; `indent` spaces per level (0: one line). */
export function stringifyLossless(node: JsonNode, indent = 0): string {
  return print(node, indent, false, 0);
}

/**
 * The same JSON with `indent` spaces per level (2 by default), every number and string literal
 * exactly as in `text` (keys are re-encoded, which changes nothing for keys without escapes).
 * @throws {JsonSyntaxError} when `text` is not a single JSON value.
 */
export function formatJson(text: string, indent = 2): string {
  return print(parseLossless(text), indent, true, 0);
}

/** The member `key` of an object node (the last, when repeated), or undefined. */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i -= 1) {
    const entry = node.entries[i] as [string, JsonNode];
    if (entry[0] === key) return entry[1];
  }
  return undefined;
}

/** A scalar's text as a person reads it (strings unquoted, numbers as written); undefined for objects and arrays. */
export function scalarText(node: JsonNode | undefined): string | undefined {
  switch (node?.kind) {
    case 'string':
      return node.value;
    case 'number':
      return node.raw;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return undefined;
  }
}
