import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab from the last control goes to the first, Shift+Tab from the first to the last. (An inert
 * page alone would let focus leave for the browser's own controls after the last one.)
 */
function keepTabInside(e: KeyboardEvent, dialog: HTMLElement) {
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0 || el === document.activeElement,
  );
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) {
    e.preventDefault();
    return;
  }
  const active = document.activeElement;
  if (e.shiftKey && (active === first || active === dialog)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog on the native `<dialog>` element opened with `showModal()`: it sits in the top
 * layer (above sticky table headers), the rest of the page is inert, Tab cycles inside, Escape
 * closes it, and focus goes back where it was, or to `returnFocus()` when that element is gone.
 * Mounting opens it; `onClose` asks the owner to unmount it.
 * @see https://html.spec.whatwg.org/multipage/interactive-elements.html#the-dialog-element
 */
export function Modal(props: {
  /** Accessible name, or the ID of the element that names the dialog. */
  label?: string;
  labelledBy?: string;
  class: string;
  onClose(): void;
  /** Where focus goes on close when the element focused before opening no longer exists. */
  returnFocus?: () => HTMLElement | null | undefined;
  /** Changes when the content is ready: focus then moves to its first control. */
  contentKey?: unknown;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  const returnFocus = useRef(props.returnFocus);
  returnFocus.current = props.returnFocus;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      const target = opener?.isConnected && opener !== document.body ? opener : returnFocus.current?.();
      target?.focus();
    };
  }, []);

  // Focus the first control once the content is there (a lazily loaded panel arrives later).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new contentKey means new content to focus in
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const first = dialog.querySelector<HTMLElement>(FOCUSABLE);
    if (!dialog.contains(document.activeElement) || document.activeElement === dialog) (first ?? dialog).focus();
  }, [props.contentKey]);

  return (
    <dialog
      ref={ref}
      class={props.class}
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      aria-modal="true"
      tabIndex={-1}
      onCancel={(e) => {
        // Escape: the owner unmounts the dialog, which closes it and restores focus.
        e.preventDefault();
        onClose.current();
      }}
      onKeyDown={(e) => {
        if (e.defaultPrevented) return;
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose.current();
        } else if (e.key === 'Tab') keepTabInside(e, e.currentTarget);
      }}
    >
      {props.children}
    </dialog>
  );
}
