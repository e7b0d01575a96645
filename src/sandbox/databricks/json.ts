/**
 * JSON text as Databricks writes it: 64-bit integers (`spark_context_id`, int64 in the API
 * reference) go on the wire as exact integer literals such as `4020997813441461827`, never as
 * a rounded double. The sandbox holds such values as `bigint`; `JSON.stringify` refuses them and
 * Node 20 has no `JSON.rawJSON`, so this writer emits them itself and leaves everything else to
 * `JSON.stringify` (same escaping, `toJSON`, and `undefined` members left out).
 *
 * @see https://docs.databricks.com/api/azure/workspace/clusters/get (spark_context_id: int64)
 */
export function toWireJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = write(item);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
