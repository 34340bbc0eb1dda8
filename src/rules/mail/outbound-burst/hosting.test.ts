// TW-MAIL-003 with an ASN lookup (rule cases run without one): spam relayed from forty addresses of a rented
// server range, each under the new-source floor on its own, rotating its sender addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../config/config.js';
import type { Alert } from '../../../detect/alert.js';
import { Engine } from '../../../detect/engine.js';
import { createEnrichment } from '../../../enrich/allowlists.js';
import { decodeText } from '../../../pipeline/testkit.js';
import { BASE, MINUTES } from '../../records.js';
import { rwsPage, type TraceOpts } from '../records.js';
import { outboundBurst } from './rule.js';

const HOURS = 60 * MINUTES;
const HOSTING_AS = 64_999;

/** Staff mail from the office for 30 hours (the tenant's trace is warmed up), then `spam` rows. */
function tenant(spam: TraceOpts[]): TraceOpts[] {
  const staff: TraceOpts[] = [];
  for (let h = 0; h < 30; h++) staff.push({ at: BASE + h * HOURS, sender: 'alex.wilber@contoso.com', recipient: `partner${h % 4}@adatum.example`, fromIp: '203.0.113.10', toIp: '198.51.100.77' });
  return [...staff, ...spam];
}

/** `n` spam messages in 50 minutes from `ips` addresses of 194.26.29.0/24, each sender address used twice. */
function spam(n: number, ips: number): TraceOpts[] {
  return Array.from({ length: n }, (_, i) => ({
    at: BASE + 31 * HOURS + Math.floor((i * 50 * MINUTES) / n), sender: `promo${Math.floor(i / 2)}@contoso.com`, recipient: `victim${i}@consumer-mail.example`,
    fromIp: `194.26.29.${10 + (i % ips)}`, toIp: '198.51.100.77', subject: 'You won a prize',
  }));
}

async function hunt(rows: TraceOpts[], hosting: boolean): Promise<Alert[]> {
  const { events } = await decodeText(rwsPage('trace.json', rows).text, 'trace.json');
  const cfg = defaultConfig();
  const enrich = createEnrichment(cfg, { asn: (ip) => (ip.startsWith('194.26.29.') ? HOSTING_AS : undefined), asnKinds: { hosting: hosting ? [HOSTING_AS] : [] } });
  const e = new Engine([outboundBurst], cfg, { enrich });
  for (const ev of [...events].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1))) e.push(ev);
  e.end();
  const last = new Map<string, Alert>();
  for (const a of e.drain()) last.set(a.id, a);
  return [...last.values()];
}

test('a hosting range is one source: spam over 40 of its addresses is one medium burst, rotating senders or not', async () => {
  const alerts = await hunt(tenant(spam(120, 40)), true);
  assert.equal(alerts.length, 1, alerts.map((a) => a.title).join('\n'));
  const a = alerts[0]!;
  assert.equal(a.severity, 'medium');
  assert.equal(a.facts.source, '194.26.29.0/24');
  assert.equal(a.facts.hostingNetwork, true);
  assert.ok((a.facts.recipients as number) >= 100, String(a.facts.recipients));
  assert.match(a.explanation, /source network 194\.26\.29\.0\/24 \(hosting network AS64999\)/);
  assert.match(a.explanation, /rotates its sender addresses \(2 recipients per address\)/);
  assert.doesNotMatch(a.explanation, /Low:/);
});

test('the same spread outside any hosting network: each address is its own source, under the new-source floor', async () => {
  assert.equal((await hunt(tenant(spam(120, 40)), false)).length, 0);
});

test('from one address of a network that is not hosting, rotating senders: low, and it says why in its numbers', async () => {
  const alerts = await hunt(tenant(spam(60, 1)), false);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.severity, 'low');
  assert.match(alerts[0]!.explanation, /Low: no connector, EOP filtered under a tenth of the messages as spam, its never-seen addresses wrote to 2 recipients each \(bulk is 10 or more\)/);
});
