// Logs of other identity and cloud products that land among Microsoft exports (a SIEM dump, a shared folder):
// tenantwatch does not read them, and saying which product a record is tells the user the file is not broken.
import { isObject } from '../core/json.js';

/** The product a record belongs to when it is a known non-Microsoft log, else undefined (judged by its keys). */
export function otherProductOf(r: unknown): string | undefined {
  if (!isObject(r)) return undefined;
  if ('eventType' in r && 'actor' in r && ('published' in r || 'uuid' in r)) return 'Okta System Log';
  if ((typeof r.kind === 'string' && r.kind.startsWith('admin#reports#')) || (isObject(r.id) && 'applicationName' in r.id && 'events' in r)) {
    return 'Google Workspace Reports API';
  }
  if ('eventSource' in r && 'eventName' in r && ('awsRegion' in r || 'eventVersion' in r)) return 'AWS CloudTrail';
  if ('protoPayload' in r && 'logName' in r) return 'Google Cloud audit log';
  return undefined;
}

/** The end of a skip or quarantine reason: the product when known, else the generic words. */
export function notMicrosoftWords(r: unknown): string {
  const p = otherProductOf(r);
  return p ? `${/^[AEIOU]/.test(p) ? 'an' : 'a'} ${p} record, a product tenantwatch does not read (it reads Microsoft 365 and Entra logs)` : 'not a Microsoft log format tenantwatch reads';
}
