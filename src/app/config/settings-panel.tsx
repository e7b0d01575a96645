import { useId, useRef, useState } from 'preact/hooks';
import { CLOUDS, REAL_CLOUD_NAMES } from './clouds.ts';
import { OVERRIDE_KEYS, readOverrides, resetOverrides, saveOverrides } from './saved-settings.ts';
import type {
  AppConfig,
  CacheLocation,
  ConfigField,
  FieldError,
  RuntimeConfigWire,
  SettingsOverrides,
} from './types.ts';
import { errorsFor, parseWorkspaceResourceId, validateConfig } from './validate.ts';
import './config.css';

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  /** The configuration in effect, when it is valid. */
  config?: AppConfig | undefined;
  /** Problems found when the configuration was loaded; shown before anything is typed. */
  errors?: readonly FieldError[] | undefined;
  /** The values in effect (server's with overrides applied), used to fill the form when `config` is invalid. */
  wire?: RuntimeConfigWire | undefined;
  /** The server's runtime configuration, as {@link loadAppConfig} received it. */
  server: RuntimeConfigWire;
  /**
   * Called after valid overrides were saved to localStorage. The app should start over with
   * them (tenant and client changes need a fresh MSAL instance, so reloading the page is simplest).
   */
  onApply(overrides: SettingsOverrides, config: AppConfig): void;
  /** Called after the saved overrides were removed, so the server's values apply again. */
  onReset(): void;
  onClose(): void;
  /** Test seam; the app uses localStorage. */
  storage?: Storage;
}

type TextField = Exclude<(typeof OVERRIDE_KEYS)[number], 'cacheLocation'>;
type Values = Record<TextField, string> & { cacheLocation: CacheLocation };
const TEXT_FIELDS: readonly TextField[] = OVERRIDE_KEYS.filter((key): key is TextField => key !== 'cacheLocation');
/** The form's fields in order: the settings this browser can override. */
const FIELD_ORDER: readonly ConfigField[] = OVERRIDE_KEYS;
const OWN_FIELDS: ReadonlySet<ConfigField> = new Set(FIELD_ORDER);

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function serverCloud(server: RuntimeConfigWire): string {
  return str(server.cloud) || (server.sandbox === true ? 'sandbox' : 'public');
}

/**
 * The form's starting values: the raw values in effect (`wire`) when given, so unchanged fields
 * save no override; else those of the valid configuration; else the server's with the saved overrides.
 */
function initialValues(props: SettingsPanelProps, server: RuntimeConfigWire, saved: SettingsOverrides): Values {
  const { config, wire } = props;
  const cacheLocation: CacheLocation =
    (saved.cacheLocation ?? config?.cacheLocation) === 'localStorage' ? 'localStorage' : 'sessionStorage';
  if (!wire && config) {
    const parts = config.workspaceResourceId ? parseWorkspaceResourceId(config.workspaceResourceId) : undefined;
    return {
      tenantId: config.tenantId,
      clientId: config.clientId,
      cloud: config.cloud,
      workspaceUrl: config.workspaceUrl,
      subscriptionId: parts?.subscriptionId ?? '',
      resourceGroup: parts?.resourceGroup ?? '',
      workspaceName: parts?.workspaceName ?? '',
      cacheLocation,
    };
  }
  const source: RuntimeConfigWire = wire ?? { ...server, ...saved };
  const values = { cacheLocation } as Values;
  for (const field of TEXT_FIELDS) values[field] = str(source[field]);
  values.cloud = values.cloud || serverCloud(server);
  return values;
}

/** Overrides for the values that differ from the server's, so later server changes still apply to the rest. */
function toOverrides(values: Values, server: RuntimeConfigWire): SettingsOverrides {
  const overrides: SettingsOverrides = {};
  for (const field of TEXT_FIELDS) {
    const value = values[field].trim();
    const serverValue = field === 'cloud' ? serverCloud(server) : str(server[field]).trim();
    if (value !== serverValue) overrides[field] = value;
  }
  if (values.cacheLocation !== 'sessionStorage') overrides.cacheLocation = values.cacheLocation;
  return overrides;
}

/**
 * The settings panel: lets a person point this copy of the app at their own tenant, app
 * registration and workspace, choose where tokens are cached, and go back to the server's values.
 * Values are checked field by field before anything is saved; nothing is saved while any is wrong.
 */
export function SettingsPanel(props: SettingsPanelProps) {
  const { onApply, onReset, onClose, storage } = props;
  const { server } = props;
  const [values, setValues] = useState<Values>(() => {
    const saved = readOverrides(storage);
    return initialValues(props, server, saved.ok ? saved.overrides : {});
  });
  const [errors, setErrors] = useState<readonly FieldError[]>(props.errors ?? []);
  const [submitted, setSubmitted] = useState(false);
  const [notice, setNotice] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  const check = (next: Values) => validateConfig({ server, overrides: toOverrides(next, server) });
  const update = (field: keyof Values, value: string) => {
    const next = { ...values, [field]: value } as Values;
    setValues(next);
    setNotice('');
    // After a first attempt, keep the errors in step with what is typed.
    if (submitted) {
      const result = check(next);
      setErrors(result.ok ? [] : result.errors);
    }
  };

  const apply = (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    const overrides = toOverrides(values, server);
    const result = validateConfig({ server, overrides });
    if (!result.ok) {
      setErrors(result.errors);
      setNotice('');
      const first = FIELD_ORDER.find((field) => result.errors.some((error) => error.field === field));
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    try {
      saveOverrides(overrides, storage);
    } catch (error) {
      setNotice(
        `The settings could not be saved in this browser (${error instanceof Error ? error.message : String(error)}). Allow site data for this page, or set the values on the server.`,
      );
      return;
    }
    setErrors([]);
    setNotice('Saved.');
    onApply(overrides, result.config);
  };

  const reset = () => {
    resetOverrides(storage);
    setValues(initialValues({ ...props, config: undefined, wire: server }, server, {}));
    setErrors([]);
    setSubmitted(false);
    setNotice("Back to the server's values.");
    onReset();
  };

  const general = errors.filter((error) => !OWN_FIELDS.has(error.field));
  const sandboxServer = server.sandbox === true;
  const field = (name: TextField, label: string, help: string, extra: Record<string, string> = {}) => {
    const fieldErrors = errorsFor(errors, name);
    const serverValue = name === 'cloud' ? '' : str(server[name]);
    return (
      <div class={`settings-field${fieldErrors.length ? ' invalid' : ''}`}>
        <label for={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          name={name}
          type="text"
          value={values[name]}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={fieldErrors.length > 0}
          aria-describedby={`${id}-${name}-help${fieldErrors.length ? ` ${id}-${name}-error` : ''}`}
          onInput={(event) => update(name, (event.currentTarget as HTMLInputElement).value)}
          {...extra}
        />
        <p id={`${id}-${name}-help`} class="field-help">
          {help}
          {serverValue ? ` Server default: ${serverValue}.` : ''}
        </p>
        {fieldErrors.length > 0 && (
          <p id={`${id}-${name}-error`} class="field-error">
            {fieldErrors.map((error) => error.message).join(' ')}
          </p>
        )}
      </div>
    );
  };
  const cloudErrors = errorsFor(errors, 'cloud');

  return (
    <form ref={formRef} class="settings-panel" aria-labelledby={`${id}-title`} onSubmit={apply} noValidate>
      <h2 id={`${id}-title`}>Settings</h2>
      <p class="field-help">
        Point this copy of the app at your own tenant, app registration and workspace. Your values are kept in this
        browser only (localStorage) and override the server's; reset to go back to them.
        {sandboxServer && ' This server runs the local sandbox; choose a real cloud to use a real tenant.'}
      </p>
      {general.length > 0 && (
        <div role="alert" class="settings-problems">
          {general.map((error) => (
            <p key={error.field}>{error.message}</p>
          ))}
        </div>
      )}

      <fieldset>
        <legend>Sign-in</legend>
        {field(
          'tenantId',
          'Tenant',
          'Directory (tenant) ID, a verified domain, or "organizations" for any work or school account.',
        )}
        {field(
          'clientId',
          'Client ID',
          'Application (client) ID of a registration with a single-page application redirect URI for this page.',
        )}
        <div class={`settings-field${cloudErrors.length ? ' invalid' : ''}`}>
          <label for={`${id}-cloud`}>Cloud</label>
          <select
            id={`${id}-cloud`}
            name="cloud"
            value={values.cloud}
            aria-invalid={cloudErrors.length > 0}
            aria-describedby={`${id}-cloud-help${cloudErrors.length ? ` ${id}-cloud-error` : ''}`}
            onChange={(event) => update('cloud', (event.currentTarget as HTMLSelectElement).value)}
          >
            {REAL_CLOUD_NAMES.map((name) => (
              <option key={name} value={name}>
                {CLOUDS[name].label}
              </option>
            ))}
            {(sandboxServer || values.cloud === 'sandbox') && <option value="sandbox">Local sandbox</option>}
            {!['public', 'usgov', 'china', 'sandbox'].includes(values.cloud) && (
              <option value={values.cloud}>{values.cloud}</option>
            )}
          </select>
          <p id={`${id}-cloud-help`} class="field-help">
            Decides the sign-in host and the workspace domain
            {values.cloud in CLOUDS
              ? ` (${CLOUDS[values.cloud as keyof typeof CLOUDS].authorityHost}, *.${CLOUDS[values.cloud as keyof typeof CLOUDS].workspaceDomain})`
              : ''}
            .
          </p>
          {cloudErrors.length > 0 && (
            <p id={`${id}-cloud-error`} class="field-error">
              {cloudErrors.map((error) => error.message).join(' ')}
            </p>
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>Workspace</legend>
        {field(
          'workspaceUrl',
          'Workspace URL',
          'The per-workspace URL from the Azure portal, https://adb-<workspace-id>.<n>.azuredatabricks.net.',
          {
            inputMode: 'url',
          },
        )}
      </fieldset>

      <fieldset>
        <legend>Admin access through Azure (optional)</legend>
        <p class="field-help">
          All three or none. With them, every call sends X-Databricks-Azure-Workspace-Resource-Id, so a user with the
          Contributor or Owner role on the workspace resource is let in as a workspace admin even if not yet a member.
        </p>
        {field('subscriptionId', 'Subscription ID', 'The Azure subscription that holds the workspace (a GUID).')}
        {field('resourceGroup', 'Resource group', "The workspace's resource group.")}
        {field('workspaceName', 'Workspace name', 'The Azure resource name of the workspace (not its URL).')}
      </fieldset>

      <fieldset aria-describedby={`${id}-cache-help`}>
        <legend>Token cache</legend>
        <p id={`${id}-cache-help`} class="field-help">
          Where MSAL keeps your tokens in this browser. Takes effect on the next sign-in.
        </p>
        <div class="settings-choice">
          <input
            type="radio"
            id={`${id}-cache-session`}
            name="cacheLocation"
            value="sessionStorage"
            checked={values.cacheLocation === 'sessionStorage'}
            aria-describedby={`${id}-cache-session-help`}
            onChange={() => update('cacheLocation', 'sessionStorage')}
          />
          <label for={`${id}-cache-session`}>Session storage (default)</label>
          <p id={`${id}-cache-session-help`} class="field-help">
            Tokens stay in this tab only and are gone when it closes. Safer on a shared computer; a new tab signs in
            again, usually without a prompt while your Entra ID session lasts.
          </p>
        </div>
        <div class="settings-choice">
          <input
            type="radio"
            id={`${id}-cache-local`}
            name="cacheLocation"
            value="localStorage"
            checked={values.cacheLocation === 'localStorage'}
            aria-describedby={`${id}-cache-local-help`}
            onChange={() => update('cacheLocation', 'localStorage')}
          />
          <label for={`${id}-cache-local`}>Local storage</label>
          <p id={`${id}-cache-local-help`} class="field-help">
            Tokens outlive the tab and are shared by every tab of this site, so you stay signed in. The trade-off: they
            stay on this computer until you sign out (MSAL encrypts them with a key in a session cookie), and any script
            running in this page could use them. Choose it only on a computer that only you use.
          </p>
        </div>
        {errorsFor(errors, 'cacheLocation').map((error) => (
          <p key={error.message} class="field-error">
            {error.message}
          </p>
        ))}
      </fieldset>

      <div class="settings-actions">
        <button type="submit">Apply</button>
        <button type="button" onClick={reset}>
          Reset to server defaults
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p role="status" class="settings-notice">
        {notice}
      </p>
      {submitted && errors.length > 0 && (
        <p role="alert" class="field-error">
          Nothing was saved: {errors.length === 1 ? 'one value needs' : `${errors.length} values need`} correcting.
        </p>
      )}
    </form>
  );
}
