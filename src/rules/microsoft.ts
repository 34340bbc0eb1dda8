// What the rules about apps reading mail and using users' tokens (TW-MAIL-005, TW-MAIL-006, TW-APP-009,
// TW-SIGNIN-012) need to know about Microsoft itself: its first-party client apps (which nobody registers in a
// tenant and no attacker can name as their own app) and the networks its services act from.
import { MICROSOFT_CLIENT_APPS } from '../correlate/microsoft-apps.js';

/**
 * First-party apps that read mail or refresh users' tokens, beyond the client apps `correlate/microsoft-apps.ts`
 * already lists. Ids from Microsoft's sign-in logs of its own apps ("Verify first-party Microsoft applications in
 * sign-in reports"); the list is deliberately short: an app missing here is judged as third-party, which only
 * raises the severity of an alert that fires anyway (name it in the rule's `trustedApps` to quiet it).
 */
const MORE_FIRST_PARTY: ReadonlyMap<string, string> = new Map([
  ['9199bf20-a13f-4107-85dc-02114787ef48', 'One Outlook Web'],
  ['5d661950-3475-41cd-a2c3-d671a3162bc1', 'Microsoft Outlook'],
  ['cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', 'Microsoft Teams Services'],
  ['4345a7b9-9a63-4910-a426-35363201d503', 'O365 Suite UX'],
  ['2d7f3606-b07d-41d1-b9d2-0d0c9296a6e8', 'Microsoft Bing Search'],
  ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Windows Azure Service Management API'],
]);

/** Microsoft's well-known resource / service app ids: 0000000x-0000-0ff1-ce00-… (Office 365) and 0000000x-0000-0000-c000-… (Azure AD, Graph). */
const WELL_KNOWN = /^[0-9a-f]{8}-0000-0(?:ff1-ce00|000-c000)-000000000000$/;

/** The app id (lower-case) is one of Microsoft's own apps. */
export function isMicrosoftApp(appId: string): boolean {
  return WELL_KNOWN.test(appId) || MICROSOFT_CLIENT_APPS.has(appId) || MORE_FIRST_PARTY.has(appId);
}

/** Microsoft's name for its app, when the lists know it. */
export function microsoftAppName(appId: string): string | undefined {
  if (appId === '00000002-0000-0ff1-ce00-000000000000') return 'Office 365 Exchange Online';
  if (appId === '00000003-0000-0000-c000-000000000000') return 'Microsoft Graph';
  return MICROSOFT_CLIENT_APPS.get(appId) ?? MORE_FIRST_PARTY.get(appId);
}

/**
 * Microsoft's own networks (Azure / Microsoft 365 front ends): its services act with users' tokens from there
 * (Outlook mobile sync, Exchange, Power Automate), so an address there is Microsoft acting, not a place of the user.
 */
export const MICROSOFT_ASNS: ReadonlySet<number> = new Set([8075, 8068, 8069, 8070, 12076, 3598]);
