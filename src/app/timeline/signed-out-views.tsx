import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppConfig } from '../config/types.ts';
import { DecodeView } from '../tokens/decode-view.tsx';
import type { Timeline } from './timeline.ts';
import { TimelineView } from './timeline-view.tsx';

type Route = 'start' | 'timeline' | 'decode';

function routeFrom(hash: string): Route {
  const id = hash.replace(/^#\/?/, '');
  return id === 'timeline' || id === 'decode' ? id : 'start';
}

const LINKS: ReadonlyArray<[Route, string, string]> = [
  ['start', '#/', 'Sign-in page'],
  ['timeline', '#/timeline', 'Timeline'],
  ['decode', '#/decode', 'Decode a token'],
];

/**
 * Signed out, the Timeline (to show why a sign-in failed) and the token decoder stay one click
 * away: `#/timeline` and `#/decode` show them instead of the sign-in page given as children.
 */
export function SignedOutViews({
  timeline,
  config,
  children,
}: {
  timeline: Timeline;
  config: AppConfig;
  children: ComponentChildren;
}) {
  const [route, setRoute] = useState<Route>(() => routeFrom(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeFrom(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <>
      <nav class="signed-out-views" aria-label="Without signing in">
        {LINKS.map(([id, href, label]) => (
          <a key={id} href={href} aria-current={route === id ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {route === 'timeline' && (
        <main class="view">
          <TimelineView timeline={timeline} />
        </main>
      )}
      {route === 'decode' && (
        <main class="view">
          <DecodeView config={config} />
        </main>
      )}
      {route === 'start' && children}
    </>
  );
}
