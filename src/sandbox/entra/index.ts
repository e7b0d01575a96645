/**
 * The sandbox Entra ID: a local stand-in for the Microsoft Entra ID v2.0 endpoint.
 * @see ../../../README.md (section "Sandbox Entra ID")
 */
export type { RecordedRequest } from '../request-log.ts';
export { startEntra, type EntraOptions, type RunningEntra } from './server.ts';
export { AADSTS, EntraProtocolError, type AadstsCode, type EntraErrorBody } from './errors.ts';
export { issuerV1 } from './tokens.ts';
export type { TokenResponseBody } from './token.ts';
