import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeText } from '../../pipeline/testkit.js';

test('unused diagnostic categories are filtered with their name, known ones still decode', async () => {
  const graphActivity = { time: '2026-02-01T10:00:00Z', resourceId: '/tenants/x/providers/Microsoft.aadiam', operationName: 'Microsoft Graph Activity', category: 'MicrosoftGraphActivityLogs', tenantId: 'x', properties: { requestUri: 'https://graph.microsoft.com/v1.0/me' } };
  const r = await decodeText(JSON.stringify({ records: [graphActivity] }));
  assert.equal(r.events.length, 0);
  assert.equal(r.quarantined.length, 0);
  assert.deepEqual(r.filtered.map((f) => f.reason), ["diagnostic category MicrosoftGraphActivityLogs is not used by tenantwatch's detections"]);
});
