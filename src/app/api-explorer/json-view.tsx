import { useState } from 'preact/hooks';
import { type JsonNode, scalarText } from '../json/lossless-json.ts';

/**
 * A collapsible JSON tree over a lossless {@link JsonNode}: numbers show as written (19-digit IDs
 * exact). Objects and arrays are native `<details>` elements, so keyboard and screen readers
 * toggle them as disclosure widgets; children render only while open, so a 10,000-item answer
 * costs nothing until expanded.
 */
export function JsonTree({ node }: { node: JsonNode }) {
  return (
    <section class="ax-tree" aria-label="Response body as a tree">
      <TreeNode name={undefined} node={node} depth={0} />
    </section>
  );
}

function summaryOf(node: JsonNode): string {
  if (node.kind === 'object') return `{…} ${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'}`;
  if (node.kind === 'array') return `[…] ${node.items.length} ${node.items.length === 1 ? 'item' : 'items'}`;
  return '';
}

function Scalar({ node }: { node: JsonNode }) {
  if (node.kind === 'string') return <span class="ax-string">{JSON.stringify(node.value)}</span>;
  return <span class={`ax-${node.kind}`}>{scalarText(node)}</span>;
}

/** Containers with more children than this start folded, even near the top (10,000 clusters). */
const OPEN_LIMIT = 200;

function TreeNode({ name, node, depth }: { name: string | undefined; node: JsonNode; depth: number }) {
  const size = node.kind === 'object' ? node.entries.length : node.kind === 'array' ? node.items.length : 0;
  const [open, setOpen] = useState(depth < 2 && size <= OPEN_LIMIT);
  const label = name === undefined ? null : <span class="ax-key">{name}: </span>;
  if (node.kind !== 'object' && node.kind !== 'array') {
    return (
      <div class="ax-leaf">
        {label}
        <Scalar node={node} />
      </div>
    );
  }
  const children: [string, JsonNode][] =
    node.kind === 'object' ? node.entries : node.items.map((item, i) => [String(i), item]);
  return (
    <details open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        {label}
        <span class="ax-summary">{summaryOf(node)}</span>
      </summary>
      {open && (
        <div class="ax-children">
          {children.map(([key, child], i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an answer's tree never changes; array items have only their index.
            <TreeNode key={`${i}:${key}`} name={key} node={child} depth={depth + 1} />
          ))}
        </div>
      )}
    </details>
  );
}

/** The array of objects a table can show: the body itself, or its first array-valued member. */
export function tableRowsOf(node: JsonNode): { name: string; rows: JsonNode[] } | undefined {
  const isRows = (n: JsonNode | undefined): n is Extract<JsonNode, { kind: 'array' }> =>
    n?.kind === 'array' && n.items.length > 0 && n.items.every((item) => item.kind === 'object');
  if (isRows(node)) return { name: 'body', rows: node.items };
  if (node.kind !== 'object') return undefined;
  const found = node.entries.find(([, child]) => isRows(child));
  return found && found[1].kind === 'array' ? { name: found[0], rows: found[1].items } : undefined;
}

const MAX_COLUMNS = 12;

/** The first array of objects in an answer as a table: one column per key (nested values summarised). */
export function JsonTable({ name, rows }: { name: string; rows: JsonNode[] }) {
  const columns: string[] = [];
  for (const row of rows.slice(0, 100)) {
    if (row.kind !== 'object') continue;
    for (const [key] of row.entries) if (!columns.includes(key) && columns.length < MAX_COLUMNS) columns.push(key);
  }
  return (
    <div class="ax-table-viewport">
      <table class="ax-table">
        <caption>
          {name}: {rows.length} {rows.length === 1 ? 'row' : 'rows'}
          {columns.length === MAX_COLUMNS ? ` (first ${MAX_COLUMNS} columns)` : ''}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an answer's rows never change; they have only their index.
            <tr key={i}>
              {columns.map((c) => {
                const cell = row.kind === 'object' ? row.entries.find(([k]) => k === c)?.[1] : undefined;
                return <td key={c}>{cell === undefined ? '' : (scalarText(cell) ?? summaryOf(cell))}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
