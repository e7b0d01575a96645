/**
 * JSON shown and copied exactly as the server sent it. `JSON.parse` turns every number into a
 * double, so a 19-digit integer such as Databricks' `spark_context_id` (4020997813441462000…)
 * comes back rounded. These functions work on the response text instead: they check it is JSON
 * and lay it out again token by token, copying every number and string literal unchanged.
 * @see https://www.rfc-editor.org/rfc/rfc8259 (the grammar checked here)
 */

/** The text is not JSON; `offset` is where reading stopped. Never carries the text itself. */
export class JsonSyntaxError extends Error {
  readonly code = 'JSON_SYNTAX';
  constructor(
    readonly offset: number,
    expected: string,
  ) {
    super(`The JSON is not valid at character ${offset}: expected ${expected}.`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A string literal: no raw control characters, only the escapes JSON allows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids U+0000–U+001F unescaped in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;
const LITERAL = /true|false|null/y;

/**
 * The same JSON with `indent` spaces per level (2 by default), every number and string exactly as
 * in `text`; `{}` and `[]` stay on one line.
 * @throws {JsonSyntaxError} when `text` is not a single JSON value.
 */
export function formatJson(text: string, indent = 2): string {
  let at = 0;
  const out: string[] = [];

  const skipSpace = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(text)?.[0];
    if (found !== undefined) at += found.length;
    return found;
  };
  const newline = (depth: number) => `\n${' '.repeat(depth * indent)}`;

  function value(depth: number): void {
    skipSpace();
    const c = text[at];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      at++;
      skipSpace();
      if (text[at] === close) {
        at++;
        out.push(c, close);
        return;
      }
      out.push(c);
      for (let first = true; ; first = false) {
        if (!first) out.push(',');
        out.push(newline(depth + 1));
        if (c === '{') {
          skipSpace();
          const key = match(STRING);
          if (key === undefined) throw new JsonSyntaxError(at, 'a string key');
          skipSpace();
          if (text[at] !== ':') throw new JsonSyntaxError(at, '":"');
          at++;
          out.push(key, ': ');
        }
        value(depth + 1);
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === close) {
          at++;
          out.push(newline(depth), close);
          return;
        }
        throw new JsonSyntaxError(at, `"," or "${close}"`);
      }
    }
    const literal =
      c === '"'
        ? match(STRING)
        : c === '-' || (c !== undefined && c >= '0' && c <= '9')
          ? match(NUMBER)
          : match(LITERAL);
    if (literal === undefined) throw new JsonSyntaxError(at, 'a JSON value');
    out.push(literal);
  }

  value(0);
  skipSpace();
  if (at !== text.length) throw new JsonSyntaxError(at, 'the end of the text');
  return out.join('');
}
