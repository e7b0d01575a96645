/**
 * Where the CA file the snippets name lives. With the sandbox, the snippets trust the local CA by
 * its path on the computer that runs the app's server; a colleague following a team demo on their
 * own laptop has no such file, so the note says where to download it: the app's server serves the
 * CA's certificate (public material only) at `/local-ca.pem` beside the page.
 */
export const LOCAL_CA_DOWNLOAD = '/local-ca.pem';

export function CaBundleNote({ caBundlePath }: { caBundlePath: string | undefined }) {
  if (!caBundlePath) return null;
  return (
    <p class="ca-note">
      These commands trust the sandbox's local CA at <code>{caBundlePath}</code>, a file on the computer that runs the
      app. On another computer,{' '}
      <a href={LOCAL_CA_DOWNLOAD} download="local-ca.pem">
        download the local CA certificate
      </a>{' '}
      and put its path in place of that one.
    </p>
  );
}
