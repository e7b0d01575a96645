import type { SandboxConfig } from './config-schema.ts';
import { printable } from './printable.ts';

/** One line per configured user: UPN, password, and what is special about them. */
export function describeUsers(config: SandboxConfig, clientId: string): string[] {
  const app = config.apps.find((candidate) => candidate.clientId === clientId);
  const members = new Map(config.workspace.members.map((member) => [member.upn.toLowerCase(), member]));
  const roles = new Map(config.workspace.resourceRoles.map((role) => [role.upn.toLowerCase(), role.role]));
  return config.users.map((user) => {
    const member = members.get(user.upn.toLowerCase());
    const notes = [
      member ? (member.admin ? 'workspace admin' : 'workspace user') : 'not in the workspace',
      ...(roles.has(user.upn.toLowerCase()) ? [`${roles.get(user.upn.toLowerCase())} on the workspace resource`] : []),
      ...(user.mfa ? [`MFA (code ${config.signIn.mfaCode})`] : []),
      ...(app && !app.adminConsent && !app.consentedUsers.some((upn) => upn.toLowerCase() === user.upn.toLowerCase())
        ? ['asked to consent at first sign-in']
        : []),
    ];
    return `    ${printable(user.upn).padEnd(24)} ${printable(user.password).padEnd(16)} ${printable(notes.join(', '))}`;
  });
}
