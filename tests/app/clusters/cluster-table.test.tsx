import { render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toClusterRow } from '../../../src/app/clusters/cluster-model.ts';
import { ClusterTable, ROW_HEIGHT } from '../../../src/app/clusters/cluster-table.tsx';
import { makeCluster } from '../support/fakes.ts';

afterEach(() => vi.unstubAllGlobals());

describe('cluster table window', () => {
  it("paints the first rows without reading the viewport's height (no forced layout), then fits the observed height", async () => {
    let observed: (() => void) | undefined;
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: () => void) {
          observed = callback;
        }
        observe() {}
        disconnect() {}
      },
    );
    const reads = vi.fn(() => 40 * ROW_HEIGHT);
    const descriptor = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: reads });
    try {
      const rows = Array.from({ length: 10_000 }, (_, i) => toClusterRow(makeCluster(i)));
      render(
        <ClusterTable
          rows={rows}
          sort={{ column: 'name', direction: 'asc' }}
          onSort={() => {}}
          onOpen={() => {}}
          selectedId={null}
        />,
      );
      expect(reads).not.toHaveBeenCalled();
      const firstWindow = screen.getAllByRole('row').length;
      expect(firstWindow).toBeGreaterThan(10);
      // The observer's first callback (after the browser's layout) brings the real height: more rows.
      observed?.();
      expect(reads).toHaveBeenCalled();
      await waitFor(() => expect(screen.getAllByRole('row').length).toBeGreaterThan(firstWindow));
    } finally {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, 'clientHeight', descriptor);
      else delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
    }
  });
});
