import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatLocalTime } from './format.ts';

/** Props of {@link CopyTokenButton}. */
export interface CopyTokenButtonProps {
  /** The compact token to copy. */
  token: string;
  /** "access token" or "ID token", in lower case for sentences. */
  what: string;
  /** The token's `exp`, to say how long a copy stays usable. */
  expiresAt: number | undefined;
  /** Why this token is sensitive, shown in the warning. */
  risk: string;
  /** Test seam; the app uses `navigator.clipboard.writeText`. */
  writeText?: (text: string) => Promise<void>;
}

/**
 * A copy button that first says what a copied token allows and asks to confirm. Copying happens
 * only after "Copy anyway"; the token itself never appears in the warning or the result message.
 */
export function CopyTokenButton({ token, what, expiresAt, risk, writeText }: CopyTokenButtonProps) {
  const [step, setStep] = useState<'idle' | 'confirm'>('idle');
  const [outcome, setOutcome] = useState('');
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (step === 'confirm') cancelRef.current?.focus();
  }, [step]);

  const copy = async () => {
    setStep('idle');
    const write = writeText ?? ((text: string) => navigator.clipboard.writeText(text));
    try {
      await write(token);
      const until = expiresAt ? ` It works until ${formatLocalTime(expiresAt)}.` : '';
      setOutcome(`Copied the ${what}.${until} Clear your clipboard when you are done.`);
    } catch {
      setOutcome(
        `Could not copy: the browser refused access to the clipboard. Reveal the ${what} and select it instead.`,
      );
    }
  };

  return (
    <div class="copy-token">
      <button
        type="button"
        aria-expanded={step === 'confirm'}
        aria-controls={`${id}-warning`}
        onClick={() => {
          setOutcome('');
          setStep('confirm');
        }}
      >
        Copy {what}
      </button>
      {step === 'confirm' && (
        <div
          id={`${id}-warning`}
          class="copy-warning"
          role="alertdialog"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-text`}
        >
          <p id={`${id}-title`}>
            <strong>Copy the {what}?</strong>
          </p>
          <p id={`${id}-text`}>
            {risk}
            {expiresAt ? ` It stays valid until ${formatLocalTime(expiresAt)}.` : ''} Paste it only into tools you
            trust, never into chats, tickets or websites.
          </p>
          <button type="button" onClick={copy}>
            Copy anyway
          </button>{' '}
          <button type="button" ref={cancelRef} onClick={() => setStep('idle')}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" class="copy-outcome">
        {outcome}
      </p>
    </div>
  );
}
