import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Modal } from './modal.tsx';
import type { SettingsPanelProps } from '../config/settings-panel.tsx';
import type { AppConfigResult } from '../config/types.ts';

/**
 * The settings panel (built in `config/`) in a modal dialog, loaded on demand: it takes focus,
 * keeps Tab inside, closes with Escape and gives focus back. After "apply" or "reset" the page
 * reloads, so MSAL starts over with the new tenant and client.
 */
export function SettingsDialog({
  result,
  onClose,
  onApplied,
}: {
  result: AppConfigResult;
  onClose(): void;
  onApplied(): void;
}) {
  const [panel, setPanel] = useState<ComponentType<SettingsPanelProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('../config/settings-panel.tsx').then(
      (m) => setPanel(() => m.SettingsPanel),
      () => setFailed(true),
    );
  }, []);
  const SettingsPanel = panel;
  return (
    <Modal class="dialog" label="Settings" onClose={onClose} contentKey={SettingsPanel ?? failed}>
      {failed && <p role="alert">The settings panel could not load. Reload the page and try again.</p>}
      {!failed && !SettingsPanel && <p role="status">Loading settings…</p>}
      {SettingsPanel && (
        <SettingsPanel
          config={result.ok ? result.config : undefined}
          errors={result.ok ? [] : result.errors}
          wire={result.wire}
          server={result.server}
          onApply={onApplied}
          onReset={onApplied}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}
