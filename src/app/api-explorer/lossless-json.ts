/**
 * A small lossless JSON reader for the API Explorer: it parses into a tree whose numbers keep
 * their source text, so a 19-digit `spark_context_id` or `run_id` is shown, copied and sent back
 * exactly (JSON.parse would round it to the nearest double). Strict RFC 8259 syntax; duplicate
 * keys are kept in order, as received.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */

export type JsonNode =
  | { kind: 'object'; entries: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

/** The text is not JSON; `offset` is where reading stopped. */
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

/**
 * Parses JSON text into a {@link JsonNode} tree, numbers kept as written.
 * @throws JsonSyntaxError naming the position of the first error
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
  const value = (depth: number): JsonNode => {
    if (depth > 512) fail('nesting deeper than 512 levels');
    space();
    const char = text[at];
    if (char === '{') {
      at += 1;
      const entries: [string, JsonNode][] = [];
      space();
      if (text[at] === '}') {
        at += 1;
        return { kind: 'object', entries };
      }
      for (;;) {
        space();
        const key = string();
        space();
        expect(':');
        entries.push([key, value(depth + 1)]);
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === '}') {
          at += 1;
          return { kind: 'object', entries };
        } else fail(`expected "," or "}", found ${describeChar(text[at])}`);
      }
    }
    if (char === '[') {
      at += 1;
      const items: JsonNode[] = [];
      space();
      if (text[at] === ']') {
        at += 1;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ',') at += 1;
        else if (text[at] === ']') {
          at += 1;
          return { kind: 'array', items };
        } else fail(`expected "," or "]", found ${describeChar(text[at])}`);
      }
    }
    if (char === '"') return { kind: 'string', value: string() };
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

const LITERALS: [string, JsonNode][] = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];

function describeChar(char: string | undefined): string {
  return char === undefined ? 'the end of the text' : JSON.stringify(char);
}

/** JSON text of a node, numbers as written; `indent` spaces per level (0: one line). */
export function stringifyLossless(node: JsonNode, indent = 0, level = 0): string {
  const pad = (n: number) => (indent ? `\n${' '.repeat(indent * n)}` : '');
  const colon = indent ? ': ' : ':';
  switch (node.kind) {
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{${node.entries
        .map(
          ([key, child]) =>
            `${pad(level + 1)}${JSON.stringify(key)}${colon}${stringifyLossless(child, indent, level + 1)}`,
        )
        .join(',')}${pad(level)}}`;
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[${node.items.map((child) => `${pad(level + 1)}${stringifyLossless(child, indent, level + 1)}`).join(',')}${pad(level)}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.raw;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

/** The member `key` of an object node, or undefined. */
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
