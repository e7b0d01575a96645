import { describe, expect, it } from 'vitest';
import {
  formatJson,
  JsonSyntaxError,
  member,
  parseLossless,
  scalarText,
  stringifyLossless,
} from '../../../src/app/json/lossless-json.ts';

describe('parseLossless', () => {
  it('keeps 19-digit integers exactly as written, where JSON.parse rounds them', () => {
    const text = '{"spark_context_id": 9007199254740993123, "n": -1.5e3, "s": "a\\u00e9\\n", "ok": true, "x": null}';
    const node = parseLossless(text);
    expect(scalarText(member(node, 'spark_context_id'))).toBe('9007199254740993123');
    expect(String((JSON.parse(text) as { spark_context_id: number }).spark_context_id)).not.toBe('9007199254740993123');
    expect(scalarText(member(node, 'n'))).toBe('-1.5e3');
    expect(scalarText(member(node, 's'))).toBe('aé\n');
    expect(stringifyLossless(node)).toBe(
      '{"spark_context_id":9007199254740993123,"n":-1.5e3,"s":"aé\\n","ok":true,"x":null}',
    );
  });
});

describe('formatJson', () => {
  it('keeps integers beyond 2^53 exactly, where JSON.parse rounds them', () => {
    const text = '{"spark_context_id":4020997813441462123,"n":-9007199254740993}';
    expect(JSON.stringify(JSON.parse(text))).not.toContain('4020997813441462123');
    expect(formatJson(text)).toBe('{\n  "spark_context_id": 4020997813441462123,\n  "n": -9007199254740993\n}');
  });

  it('copies numbers, strings and escapes as written, and lays out nested values like JSON.stringify', () => {
    const value = {
      a: [1, 2.5e-7, { b: null, c: true, d: false }],
      e: {},
      f: [],
      g: 'quote " backslash \\ tab \t unicode \u00e9 \u2028',
      h: [[]],
    };
    const text = JSON.stringify(value);
    expect(formatJson(text)).toBe(JSON.stringify(value, null, 2));
    expect(formatJson('{"x":"\\u00e9","y":1.0E+2}')).toBe('{\n  "x": "\\u00e9",\n  "y": 1.0E+2\n}');
  });

  it('accepts whitespace around tokens and a bare value at the top', () => {
    expect(formatJson(' \n\t[ 1 , "a" ]\r\n')).toBe('[\n  1,\n  "a"\n]');
    expect(formatJson('12345678901234567890')).toBe('12345678901234567890');
    expect(formatJson('"x"', 4)).toBe('"x"');
    expect(formatJson('{"a":{"b":1}}', 4)).toBe('{\n    "a": {\n        "b": 1\n    }\n}');
  });
});

// One reader behind both: the drawer's formatJson and the explorer's parseLossless refuse alike.
describe.each([
  ['parseLossless', parseLossless],
  ['formatJson', formatJson],
])('%s', (_name, read: (text: string) => unknown) => {
  it.each([
    ['', 0, 'unexpected the end of the text'],
    ['{', 1, 'expected "\\"", found the end of the text'],
    ['{"a" 1}', 5, 'expected ":", found "1"'],
    ['{"a":1,}', 7, 'expected "\\"", found "}"'],
    ['{"a": 1,}', 8, 'expected "\\"", found "}"'],
    ['[1 2]', 3, 'expected "," or "]", found "2"'],
    ['[1,]', 3, 'unexpected "]"'],
    ['01', 1, 'unexpected "1" after the value'],
    ['1.', 1, 'unexpected "." after the value'],
    ['nul', 0, 'unexpected "n"'],
    ['"a\nb"', 2, 'a control character inside a string'],
    ['"\\x"', 1, 'unknown escape \\x'],
    ['"open', 5, 'the string is not closed'],
    ["{'a':1}", 1, 'expected "\\"", found "\'"'],
    ['{} {}', 3, 'unexpected "{" after the value'],
    ['NaN', 0, 'unexpected "N"'],
  ])('refuses %j at offset %i: %s', (text, offset, what) => {
    let error: unknown;
    try {
      read(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({
      code: 'JSON_SYNTAX',
      offset,
      message: `Not valid JSON at character ${offset + 1}: ${what}.`,
    });
  });
});
