import { describe, expect, it } from 'vitest';
import { toWireJson } from '../../../src/sandbox/databricks/json.ts';

describe('the workspace JSON writer', () => {
  it('writes a bigint as its exact digits, where a double would round it', () => {
    expect(toWireJson({ spark_context_id: 4020997813441461827n })).toBe('{"spark_context_id":4020997813441461827}');
    expect(JSON.stringify({ id: Number(4020997813441461827n) })).toBe('{"id":4020997813441462000}');
  });

  it('writes everything else exactly as JSON.stringify does', () => {
    const value = {
      s: 'quote " backslash \\ newline \n U+2028 \u2028',
      n: 12.5,
      neg: -1,
      t: true,
      nil: null,
      skipped: undefined,
      fn: () => 1,
      list: [1, undefined, 'x', { deep: [null] }],
      date: new Date(0),
      nested: { empty: {}, none: [] },
    };
    expect(toWireJson(value)).toBe(JSON.stringify(value));
  });

  it('writes bigints inside arrays and nested objects', () => {
    expect(toWireJson([{ a: [9007199254740993n] }, -9223372036854775808n])).toBe(
      '[{"a":[9007199254740993]},-9223372036854775808]',
    );
  });
});
