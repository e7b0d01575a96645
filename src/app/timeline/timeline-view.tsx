import { Fragment } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import {
  formatAbsolute,
  formatOffset,
  LANES,
  laneIndex,
  laneName,
  readSequence,
  type SequenceStep,
} from './sequence.ts';
import type { Timeline, TimelineEntry } from './timeline.ts';
import './timeline.css';

const STATUS_LABEL: Record<TimelineEntry['status'], string> = {
  ok: 'done',
  fail: 'failed',
  info: 'step',
  wait: 'waiting',
};

type Layout = 'both' | 'diagram' | 'list';
const LAYOUTS: ReadonlyArray<[Layout, string]> = [
  ['both', 'Diagram and list'],
  ['diagram', 'Diagram only'],
  ['list', 'List only'],
];

function useEntries(timeline: Timeline): readonly TimelineEntry[] {
  const [entries, setEntries] = useState(timeline.entries());
  useEffect(() => {
    setEntries(timeline.entries());
    return timeline.subscribe(() => setEntries(timeline.entries()));
  }, [timeline]);
  return entries;
}

function route(step: SequenceStep): string {
  if (step.from === step.to)
    return `in ${laneName(step.from)
      .replace(/^The /, 'the ')
      .replace(/^This /, 'this ')}`;
  const via = step.via ? ` through ${laneName(step.via).replace(/^The /, 'the ')}` : '';
  return `${laneName(step.from)} → ${laneName(step.to)}${via}`;
}

/** What a step's details say: lanes, endpoint, parameters, status, duration, time. Never a secret. */
function StepFacts({ step }: { step: SequenceStep }) {
  const { facts } = step;
  return (
    <dl class="step-facts">
      <dt>Between</dt>
      <dd>{route(step)}</dd>
      {facts.endpoint && (
        <>
          <dt>Endpoint</dt>
          <dd>
            <code>{facts.endpoint}</code>
          </dd>
        </>
      )}
      {facts.parameters.length > 0 && (
        <>
          <dt>Parameters</dt>
          <dd>
            <ul class="step-parameters">
              {facts.parameters.map(([name, value]) => (
                <li key={name}>
                  <code>{value ? `${name}=${value}` : name}</code>
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {facts.status && (
        <>
          <dt>Status</dt>
          <dd>{facts.status}</dd>
        </>
      )}
      {facts.durationMs !== undefined && (
        <>
          <dt>Duration</dt>
          <dd>{facts.durationMs} ms</dd>
        </>
      )}
      <dt>Time</dt>
      <dd>
        {formatOffset(step.offsetMs)} after the first step ·{' '}
        <time dateTime={new Date(step.entry.at).toISOString()}>{formatAbsolute(step.entry.at)}</time>
      </dd>
      {facts.notes.map((note) => (
        <Fragment key={note}>
          <dt>Note</dt>
          <dd>{note}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** A line from one lane to another inside an arrow button, as a share of the button's width. */
function Line({ step, reply }: { step: SequenceStep; reply?: boolean }) {
  const a = laneIndex(step.from);
  const b = laneIndex(step.to);
  const lo = Math.min(a, b);
  const span = Math.abs(a - b) + 1;
  const inset = `${50 / span}%`;
  const pointsRight = reply ? a > b : a < b;
  const via = step.via ? (laneIndex(step.via) - lo) / (span - 1) : undefined;
  return (
    <span
      class={`seq-line ${pointsRight ? 'to-right' : 'to-left'}${reply ? ' reply' : ''}`}
      style={{ marginLeft: inset, marginRight: inset }}
      aria-hidden="true"
    >
      {via !== undefined && <span class="seq-via" style={{ left: `${via * 100}%` }} />}
    </span>
  );
}

function SequenceDiagram({ steps }: { steps: SequenceStep[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const id = useId();
  return (
    <figure class="seq" aria-labelledby={`${id}-caption`} aria-describedby={`${id}-desc`}>
      <figcaption id={`${id}-caption`}>Sequence diagram</figcaption>
      <p id={`${id}-desc`} class="seq-help">
        Each arrow is one recorded step between four lanes, oldest at the top. Open an arrow for its endpoint,
        parameters, status and duration.
      </p>
      <div class="seq-scroll">
        <ul class="seq-lanes" aria-label="Lanes">
          {LANES.map((lane) => (
            <li key={lane.id} class={`seq-lane lane-${lane.id}`}>
              {lane.name}
            </li>
          ))}
        </ul>
        <ol class="seq-steps" aria-label="Steps">
          {steps.map((step, index) => {
            const a = laneIndex(step.from);
            const b = laneIndex(step.to);
            const self = a === b;
            const expanded = open === step.entry.id;
            const detailsId = `${id}-step-${step.entry.id}`;
            return (
              <li
                key={step.entry.id}
                class={`seq-row status-${step.entry.status}${step.failed ? ' failed' : ''}${self ? ' self' : ''}`}
              >
                <span class="seq-time">{formatOffset(step.offsetMs)}</span>
                {LANES.map((lane, i) => (
                  <span key={lane.id} class="seq-life" style={{ gridColumn: i + 2 }} aria-hidden="true" />
                ))}
                <button
                  type="button"
                  class="seq-arrow"
                  style={{ gridColumn: `${Math.min(a, b) + 2} / ${Math.max(a, b) + 3}` }}
                  aria-expanded={expanded}
                  aria-controls={detailsId}
                  onClick={() => setOpen(expanded ? null : step.entry.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Escape' && expanded) setOpen(null);
                  }}
                >
                  <span class="visually-hidden">Step {index + 1}: </span>
                  <span class="seq-label">
                    {step.failed && <span aria-hidden="true">✕ </span>}
                    {step.label}
                    {step.entry.count > 1 ? ` ×${step.entry.count}` : ''}
                  </span>
                  <span class="visually-hidden">, {route(step)}</span>
                  {step.failed && <span class="visually-hidden">, failed</span>}
                  {!self && <Line step={step} />}
                  {step.reply && (
                    <>
                      <span class="visually-hidden">, answer </span>
                      <span class="seq-reply">{step.reply}</span>
                      <Line step={step} reply />
                    </>
                  )}
                  {!step.reply && step.facts.durationMs !== undefined && self && (
                    <>
                      <span class="visually-hidden">, took </span>
                      <span class="seq-reply">{step.facts.durationMs} ms</span>
                    </>
                  )}
                </button>
                {expanded && (
                  <section
                    id={detailsId}
                    class="seq-details"
                    aria-label={`Details of step ${index + 1}`}
                    onKeyDown={(event) => {
                      if (event.key === 'Escape') setOpen(null);
                    }}
                  >
                    <h3>
                      Step {index + 1}: {step.label}
                    </h3>
                    <StepFacts step={step} />
                    <button type="button" onClick={() => setOpen(null)}>
                      Close details
                    </button>
                  </section>
                )}
              </li>
            );
          })}
        </ol>
      </div>
    </figure>
  );
}

function EventList({ steps }: { steps: SequenceStep[] }) {
  return (
    <ol class="timeline-list" aria-label="Events">
      {steps.map((step) => (
        <li key={step.entry.id} class={`timeline-entry kind-${step.entry.kind} status-${step.entry.status}`}>
          <details>
            <summary>
              <span class="timeline-time">{formatOffset(step.offsetMs)}</span>
              <span
                class={`timeline-status${step.entry.status === 'ok' || step.entry.status === 'info' ? ' visually-hidden' : ''}`}
              >
                {STATUS_LABEL[step.entry.status]}
              </span>
              <span class="timeline-title">
                {step.label}
                {step.entry.count > 1 ? ` ×${step.entry.count}` : ''}
              </span>
              {step.facts.durationMs !== undefined && <span class="timeline-duration">{step.facts.durationMs} ms</span>}
            </summary>
            <StepFacts step={step} />
          </details>
        </li>
      ))}
    </ol>
  );
}

/**
 * What happened so far, oldest first, as a sequence diagram between the browser app, Entra ID,
 * the app's server and proxy, and the workspace, with the same steps as a list beside it. Each
 * arrow and each list entry opens its details. Times count from the first step, to the millisecond.
 */
export function TimelineView({ timeline }: { timeline: Timeline }) {
  const entries = useEntries(timeline);
  const [layout, setLayout] = useState<Layout>('both');
  const id = useId();
  const steps = readSequence(entries);
  return (
    <section class="timeline" aria-labelledby="timeline-heading">
      <div class="toolbar">
        <h2 id="timeline-heading">Timeline</h2>
        <fieldset class="timeline-layout">
          <legend>Show</legend>
          {LAYOUTS.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-layout`}
                value={value}
                checked={layout === value}
                onChange={() => setLayout(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => timeline.clear()} disabled={entries.length === 0}>
          Clear timeline
        </button>
      </div>
      {entries.length === 0 ? (
        <p class="empty">Nothing has happened yet. Sign-in steps and API calls appear here.</p>
      ) : (
        <div class={`timeline-body layout-${layout}`}>
          {layout !== 'list' && <SequenceDiagram steps={steps} />}
          {layout !== 'diagram' && (
            <section class="timeline-events" aria-labelledby={`${id}-list`}>
              <h3 id={`${id}-list`}>List</h3>
              <EventList steps={steps} />
            </section>
          )}
        </div>
      )}
    </section>
  );
}
