import { describe, expect, it } from 'vitest';
import { formatJson, JsonSyntaxError } from '../../../src/app/json/lossless-json.ts';

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

  it.each([
    ['', 0, 'a JSON value'],
    ['{', 1, 'a string key'],
    ['{"a" 1}', 5, '":"'],
    ['{"a":1,}', 7, 'a string key'],
    ['[1 2]', 3, '"," or "]"'],
    ['[1,]', 3, 'a JSON value'],
    ['01', 1, 'the end of the text'],
    ['1.', 1, 'the end of the text'],
    ['nul', 0, 'a JSON value'],
    ['"a\nb"', 0, 'a JSON value'],
    ['"\\x"', 0, 'a JSON value'],
    ["{'a':1}", 1, 'a string key'],
    ['{} {}', 3, 'the end of the text'],
    ['NaN', 0, 'a JSON value'],
  ])('refuses %j at character %i, expecting %s', (text, offset, expected) => {
    let error: unknown;
    try {
      formatJson(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({
      code: 'JSON_SYNTAX',
      offset,
      message: `The JSON is not valid at character ${offset}: expected ${expected}.`,
    });
  });
});
