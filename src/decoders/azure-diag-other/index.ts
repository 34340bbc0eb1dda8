// Azure Monitor diagnostic categories that tenantwatch knows but does not use (MicrosoftGraphActivityLogs,
// ProvisioningLogs, ADFSSignInLogs, …). They are real Microsoft records, so they are *filtered* with a reason
// rather than quarantined as unknown. Registered last: every category a decoder uses matches before this.
import { isObject } from '../../core/json.js';
import { filtered, type Decoder } from '../types.js';

export const azureDiagOtherDecoder: Decoder = {
  id: 'azure.diag.other',
  title: 'Azure Monitor diagnostic record of a category tenantwatch does not use',
  container: 'json',
  matchRecord(v) {
    return typeof v.category === 'string' && typeof v.time === 'string' && (typeof v.operationName === 'string' || isObject(v.properties)) && typeof v.resourceId === 'string';
  },
  decode(rec) {
    const category = String(rec.value.category).slice(0, 80);
    return filtered(`diagnostic category ${category} is not used by tenantwatch's detections`);
  },
};
