/** The presenter console: scenarios, the live request log and the directory at a glance (see README). */
export { CONSOLE_PATH, createConsole, type SandboxConsole } from './server.ts';
export {
  type ConsoleEvent,
  EventLog,
  redactPath,
  redactQuery,
  redactText,
  REDACTED,
  toConsoleEvent,
} from './events.ts';
export {
  ConsoleError,
  type ConsoleErrorCode,
  type ConsoleTargets,
  LIFECYCLE_CLUSTER,
  SCENARIO_IDS,
  type ScenarioId,
  Scenarios,
  type ScenarioView,
} from './scenarios.ts';
