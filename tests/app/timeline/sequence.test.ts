import { describe, expect, it } from 'vitest';
import { readSequence } from '../../../src/app/timeline/sequence.ts';
import type { TimelineEntry } from '../../../src/app/timeline/timeline.ts';

/** The auth service's sources, as text: the titles it writes to the timeline are read out of them. */
const AUTH_SOURCES = import.meta.glob('../../../src/app/auth/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** Sign-in events that happen inside the app and are rightly drawn as a note on its lane. */
const NOTES_INSIDE_THE_APP = new Set([
  'Signed out in another tab',
  "Could not pick up the other tab's sign-in",
  'Switched account',
  'Signed out: the sign-in settings changed',
  'Settings changed in another tab: reloading with them',
  'Another tab switched to this account',
  'Signed out of all accounts in another tab',
]);

function titlesWritten(): string[] {
  const titles = new Set<string>();
  for (const source of Object.values(AUTH_SOURCES)) {
    for (const match of source.matchAll(/title:\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/g)) {
      titles.add(match[2]!.replace(/\$\{[^}]*\}/g, 'x').replace(/\\'/g, "'"));
    }
  }
  return [...titles];
}

function entry(title: string): TimelineEntry {
  return { id: 1, at: 0, kind: 'token', status: 'info', title, count: 1 };
}

describe('sequence reading', () => {
  it('gives every step title the auth service writes a place in the diagram (update BY_TITLE when a title changes)', () => {
    const titles = titlesWritten();
    expect(titles.length).toBeGreaterThan(10);
    const unread = titles.filter(
      (title) => !NOTES_INSIDE_THE_APP.has(title) && readSequence([entry(title)])[0]!.kind === 'note',
    );
    expect(unread).toEqual([]);
  });

  it('reads an unknown step by its kind, so a renamed step still lands in a sensible lane', () => {
    const [api, error, other] = readSequence([
      { ...entry('POST /api/2.0/somewhere → 200'), kind: 'api', status: 'ok' },
      { ...entry('Something broke'), kind: 'error', status: 'fail' },
      { ...entry('Something new'), kind: 'auth' },
    ]);
    expect([api!.from, api!.via, api!.to, api!.label]).toEqual([
      'app',
      'proxy',
      'workspace',
      'POST /api/2.0/somewhere',
    ]);
    expect([error!.kind, error!.from, error!.to, error!.failed]).toEqual(['failure', 'app', 'app', true]);
    expect([other!.kind, other!.label]).toEqual(['note', 'Something new']);
  });
});
