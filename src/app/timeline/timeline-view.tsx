import { useEffect, useState } from 'preact/hooks';
import type { Timeline, TimelineEntry } from './timeline.ts';

const STATUS_LABEL: Record<TimelineEntry['status'], string> = {
  ok: 'done',
  fail: 'failed',
  info: 'step',
  wait: 'waiting',
};
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** What happened so far, oldest first: sign-in steps, tokens, each API call. */
export function TimelineView({ timeline }: { timeline: Timeline }) {
  const [entries, setEntries] = useState(timeline.entries());
  useEffect(() => {
    setEntries(timeline.entries());
    return timeline.subscribe(() => setEntries(timeline.entries()));
  }, [timeline]);
  return (
    <section class="timeline" aria-labelledby="timeline-heading">
      <div class="toolbar">
        <h2 id="timeline-heading">Timeline</h2>
        <button type="button" onClick={() => timeline.clear()} disabled={entries.length === 0}>
          Clear timeline
        </button>
      </div>
      {entries.length === 0 ? (
        <p class="empty">Nothing has happened yet. Sign-in steps and API calls appear here.</p>
      ) : (
        <ol class="timeline-list" aria-label="Events">
          {entries.map((entry) => (
            <li key={entry.id} class={`timeline-entry kind-${entry.kind} status-${entry.status}`}>
              <time dateTime={new Date(entry.at).toISOString()}>{timeFormat.format(entry.at)}</time>
              <span class="timeline-status">{STATUS_LABEL[entry.status]}</span>
              <span class="timeline-title">
                {entry.title}
                {entry.count > 1 ? ` ×${entry.count}` : ''}
              </span>
              {entry.durationMs !== undefined && <span class="timeline-duration">{entry.durationMs} ms</span>}
              {entry.detail && <span class="timeline-detail">{entry.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
