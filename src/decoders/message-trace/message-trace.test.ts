import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Event } from '../../core/event.js';
import type { DecodeContext, RawRecord } from '../types.js';
import { decodeFixture, decodeText, type DecodedFixture } from '../../pipeline/testkit.js';
import {
  eacCsvDecoder,
  graphMessageTraceDecoder,
  historicalCsvDecoder,
  powershellCsvDecoder,
  rwsJsonDecoder,
} from './index.js';
import { decideDirection, normalizeStatus, normalizeTraceId } from './normalize.js';
import { columnKey, parseSize, zoneOfHeader } from './columns.js';
import { parseRecipientStatus } from './csv-historical.js';

const dir = path.resolve('src/decoders/message-trace/fixtures');
const fx = (name: string): string => path.join(dir, name);

async function decode(name: string, ctx?: DecodeContext): Promise<DecodedFixture> {
  return decodeFixture(fx(name), ctx);
}

/** Golden form: the Event without the framing-dependent evidence pointer (file, line, offset, text). */
function golden(r: DecodedFixture): unknown {
  return {
    format: r.format,
    events: r.events.map((e) => ({ ...e, raw: { format: e.raw.format } })),
    quarantined: r.quarantined.map((q) => q.reason),
    filtered: r.filtered.map((f) => f.reason),
  };
}

const FIXTURES = [
  'rws-odata.json',
  'powershell-convertto-json-ps51.json',
  'powershell-convertto-json-ps7.ndjson',
  'graph-messagetraces.json',
  'get-messagetrace-export.csv',
  'eac-summary-export.csv',
  'eac-summary-minimal.csv',
  'historical-enhanced-summary.utf16le.csv',
  'historical-extended.csv',
];

for (const name of FIXTURES) {
  test(`golden: ${name}`, async () => {
    const got = JSON.parse(JSON.stringify(golden(await decode(name))));
    const file = fx(name.replace(/\.[^.]+$/, '') + '.golden.json');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
    assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
  });
}

const byRecipient = (evs: Event[], r: string): Event => {
  const e = evs.find((x) => x.targets.some((t) => t.type === 'mailbox' && t.name === r));
  assert.ok(e, `event for ${r}`);
  return e;
};

test('RWS OData: /Date(ms)/ time, organization-based direction, relayed spam, type drift, quarantine', async () => {
  const r = await decode('rws-odata.json');
  assert.deepEqual(r.format, ['exchange.messagetrace.rws']);
  assert.equal(r.events.length, 3);
  assert.equal(r.quarantined.length, 1);
  assert.match(r.quarantined[0]!.reason, /no usable Received time: missing/);

  const inbound = byRecipient(r.events, 'megan.bowen@contoso.onmicrosoft.com');
  assert.equal(inbound.time, 1717408215123);
  assert.equal(inbound.source, 'exchange.messagetrace');
  assert.equal(inbound.action, 'mail.receive');
  assert.equal(inbound.outcome, 'success');
  assert.equal(inbound.tenant, 'unknown');
  assert.deepEqual(inbound.actor, { kind: 'user', user: 'billing@fabrikam.example', ip: '198.51.100.20' });
  assert.equal(inbound.id, '6b1f0c8e-2d3a-4f5b-9c7d-08dc83a1b2c3/megan.bowen@contoso.onmicrosoft.com');
  assert.equal(inbound.details?.direction, 'inbound');
  assert.equal(inbound.details?.directionBasis, 'organization');
  assert.equal(inbound.details?.organization, 'contoso.onmicrosoft.com');

  const spam = byRecipient(r.events, 'someone@adatum.example');
  assert.equal(spam.action, 'mail.send');
  assert.equal(spam.outcome, 'failure');
  assert.equal(spam.operation, 'FilteredAsSpam');
  assert.equal(spam.actor.user, 'promo@northwind-deals.example');
  assert.equal(spam.details?.size, 5120, 'Size "5120" (string) is the number 5120');
  assert.equal(spam.details?.direction, 'unknown');
  assert.equal(spam.details?.relayed, true);
  assert.equal(spam.details?.toIp, '198.51.100.77');
  const msg = spam.targets.find((t) => t.type === 'message');
  assert.equal(msg?.name, 'You won! =HYPERLINK("http://203.0.113.66/x")', 'subject kept verbatim as data');
  assert.equal(msg?.id, '<A1B2C3D4E5@relay.spam.example>');

  const outbound = byRecipient(r.events, 'partner@adatum.example');
  assert.equal(outbound.action, 'mail.send');
  assert.equal(outbound.details?.direction, 'outbound');
  assert.equal(outbound.outcome, 'unknown', 'GettingStatus is not an outcome yet');
  assert.equal(outbound.details?.size, 0);
  assert.equal(outbound.targets.find((t) => t.type === 'message')?.name, undefined, 'null Subject stays absent');
});

test('PowerShell 5.1 ConvertTo-Json: escaped <>, DateTime object form, IPv6 FromIP, Quarantined', async () => {
  const r = await decode('powershell-convertto-json-ps51.json');
  assert.equal(r.events.length, 2);
  const internal = r.events[0]!;
  assert.equal(internal.details?.direction, 'internal');
  assert.equal(internal.action, 'mail.send');
  assert.equal(internal.details?.messageId, '<PH0PR01MB7777A1B2C3D4E5F6@PH0PR01MB7777.prod.outlook.com>');
  const q = r.events[1]!;
  assert.equal(q.time, 1717413000000, 'Received {"value":"/Date(…)/",…} is read from value');
  assert.equal(q.actor.ip, '2001:db8:4::25');
  assert.equal(q.outcome, 'failure');
  assert.equal(q.details?.status, 'Quarantined');
  assert.equal(q.action, 'mail.receive');
});

test('PowerShell 7 JSON: zone-less ISO with 7 digits is UTC; MessageTraceDetail records are filtered', async () => {
  const r = await decode('powershell-convertto-json-ps7.ndjson');
  assert.equal(r.events.length, 2);
  assert.equal(r.events[0]!.time, Date.UTC(2024, 5, 3, 12, 0, 1, 123));
  assert.equal(r.events[1]!.outcome, 'failure');
  assert.equal(r.events[1]!.details?.size, 15500);
  assert.equal(r.filtered.length, 1);
  assert.match(r.filtered[0]!.reason, /MessageTraceDetail/);
});

test('Graph exchangeMessageTrace: enum case, blank IPs, ids from id', async () => {
  const r = await decode('graph-messagetraces.json');
  assert.deepEqual(r.format, ['graph.messagetrace']);
  const [out, spam, relay] = r.events;
  assert.equal(out!.details?.direction, 'outbound');
  assert.equal(out!.details?.directionBasis, 'ips');
  assert.equal(out!.actor.ip, undefined);
  assert.equal(out!.id, '7c9e6679-7425-40de-944b-08dd8a0c0001/buyer@adatum.example');
  assert.equal(spam!.details?.status, 'FilteredAsSpam');
  assert.equal(spam!.outcome, 'failure');
  // filtered before a next hop: no ToIP whichever way it went, so FromIP alone decides nothing
  assert.equal(spam!.details?.direction, 'unknown');
  assert.equal(spam!.action, 'mail.send');
  assert.equal(spam!.time, Date.UTC(2025, 5, 13, 10, 31, 5, 500));
  assert.equal(relay!.details?.relayed, true);
  assert.equal(relay!.details?.status, 'Pending');
  assert.equal(relay!.outcome, 'unknown');
});

test('Get-MessageTrace Export-Csv: US locale time as UTC (or --tz), port, formula subject, multi-line cell', async () => {
  const r = await decode('get-messagetrace-export.csv');
  assert.deepEqual(r.format, ['exchange.messagetrace.csv.powershell']);
  assert.equal(r.events.length, 3);
  assert.equal(r.quarantined.length, 1);
  assert.match(r.quarantined[0]!.reason, /unparseable \("not a date"\)/);
  assert.equal(r.quarantined[0]!.line, 6, 'quarantine points at the row (the multi-line cell moved it down)');
  const [first, formula, expanded] = r.events;
  assert.equal(first!.time, Date.UTC(2024, 5, 3, 18, 10, 13));
  assert.equal(first!.targets.find((t) => t.type === 'message')?.name, 'Order, "final" version');
  assert.equal(formula!.targets.find((t) => t.type === 'message')?.name, "=cmd|'/c calc'!A1");
  assert.equal(formula!.details?.relayed, true);
  assert.equal(expanded!.actor.ip, '198.51.100.20');
  assert.equal(expanded!.actor.port, 2525);
  assert.equal(expanded!.outcome, 'success');
  assert.equal(expanded!.targets.find((t) => t.type === 'message')?.name, 'Multi\nline subject');

  const shifted = await decode('get-messagetrace-export.csv', { tz: '+02:00' });
  assert.equal(shifted.events[0]!.time, Date.UTC(2024, 5, 3, 16, 10, 13), '--tz applies to the zone-less Received');
});

test('EAC summary export: zone in the date header, display status and sizes; zone-less date honours --tz', async () => {
  const r = await decode('eac-summary-export.csv');
  assert.deepEqual(r.format, ['exchange.messagetrace.csv.eac']);
  assert.equal(r.events.length, 3);
  const [quote, spam, relay] = r.events;
  assert.equal(quote!.time, Date.UTC(2025, 5, 13, 10, 30), '"Date (UTC+02:00)" 12:30 PM = 10:30Z');
  assert.equal(quote!.details?.size, 45 * 1024);
  assert.equal(quote!.details?.messageTraceId, '7c9e6679-7425-40de-944b-08dd8a0d0001');
  assert.equal(spam!.details?.status, 'FilteredAsSpam');
  assert.equal(spam!.details?.direction, 'unknown', 'filtered: FromIP without ToIP is no direction');
  assert.equal(relay!.details?.status, 'GettingStatus');
  assert.equal(relay!.targets.find((t) => t.type === 'message')?.name, 'Urgent, wire');

  const min = await decode('eac-summary-minimal.csv');
  assert.equal(min.events[0]!.time, Date.UTC(2025, 5, 13, 10, 30));
  assert.equal(min.events[0]!.details?.direction, 'unknown');
  const minTz = await decode('eac-summary-minimal.csv', { tz: 'Europe/Berlin' });
  assert.equal(minTz.events[0]!.time, Date.UTC(2025, 5, 13, 8, 30));
});

test('historical enhanced summary (UTF-16LE): one event per recipient, directionality, connector, NMID = trace id', async () => {
  const r = await decode('historical-enhanced-summary.utf16le.csv');
  assert.deepEqual(r.format, ['exchange.messagetrace.csv.historical']);
  assert.equal(r.events.length, 4);
  assert.equal(r.quarantined.length, 1);
  const sent = byRecipient(r.events, 'victim1@adatum.example');
  assert.equal(sent.time, Date.UTC(2025, 5, 10, 8, 15, 30, 123));
  assert.equal(sent.action, 'mail.send');
  assert.equal(sent.outcome, 'success');
  assert.equal(sent.details?.direction, 'outbound');
  assert.equal(sent.details?.directionBasis, 'directionality');
  assert.equal(sent.details?.connector, 'Inbound from partner-relay');
  assert.equal(sent.details?.messageTraceId, '5d3c2b1a-0f9e-4d8c-08dd-88aa00000001');
  assert.equal(sent.id, '5d3c2b1a-0f9e-4d8c-08dd-88aa00000001/victim1@adatum.example');
  assert.equal(sent.actor.ip, '203.0.113.45');
  assert.equal(sent.details?.deliveryEvents, 'Receive, Send');
  const failed = byRecipient(r.events, 'victim2@fabrikam.example');
  assert.equal(failed.outcome, 'failure');
  assert.equal(failed.details?.status, 'Failed');
  const deferred = byRecipient(r.events, 'victim3@adatum.example');
  assert.equal(deferred.outcome, 'unknown');
  assert.equal(deferred.details?.status, 'Pending');
  const inbound = byRecipient(r.events, 'megan.bowen@contoso.com');
  assert.equal(inbound.action, 'mail.receive');
  assert.equal(inbound.details?.connector, undefined, 'empty connector_id stays absent');
});

test('historical extended report: outcome rows become events, routing rows are filtered, tenant_id kept', async () => {
  const r = await decode('historical-extended.csv');
  assert.deepEqual(r.format, ['exchange.messagetrace.csv.historical']);
  assert.equal(r.filtered.length, 2);
  assert.match(r.filtered[0]!.reason, /RECEIVE row/);
  assert.match(r.filtered[1]!.reason, /AGENTINFO row/);
  assert.equal(r.events.length, 4);
  const send = r.events.filter((e) => e.details?.event === 'SEND');
  assert.equal(send.length, 2, 'one SEND row with two recipients = two events');
  assert.equal(send[0]!.tenant, '3f2504e0-4f89-41d3-9a0c-0305e82c3301');
  assert.equal(send[0]!.details?.toIp, '198.51.100.77');
  assert.equal(send[0]!.id, '5d3c2b1a-0f9e-4d8c-08dd-88aa00000001/victim1@adatum.example/send');
  const fail = r.events.find((e) => e.details?.event === 'FAIL')!;
  assert.equal(fail.outcome, 'failure');
  assert.match(String(fail.details?.recipientStatus), /550 5\.1\.10/);
  const deliver = r.events.find((e) => e.details?.event === 'DELIVER')!;
  assert.equal(deliver.action, 'mail.receive');
  assert.equal(deliver.outcome, 'success');
});

test('each CSV header is claimed by exactly one message-trace decoder', () => {
  const headers: Record<string, string[]> = {
    'exchange.messagetrace.csv.powershell': ['Organization', 'MessageId', 'Received', 'SenderAddress', 'RecipientAddress', 'Subject', 'Status', 'ToIP', 'FromIP', 'Size', 'MessageTraceId'],
    'exchange.messagetrace.csv.eac': ['Date (UTC)', 'Sender', 'Recipient', 'Subject', 'Status'],
    'exchange.messagetrace.csv.historical': ['origin_timestamp_utc', 'sender_address', 'Recipient_status', 'message_subject'],
  };
  const all = [historicalCsvDecoder, powershellCsvDecoder, eacCsvDecoder];
  for (const [id, h] of Object.entries(headers)) assert.deepEqual(all.filter((d) => d.matchHeader!(h)).map((d) => d.id), [id]);
  assert.equal(all.some((d) => d.matchHeader!(['CreationDate', 'UserIds', 'Operations', 'AuditData'])), false, 'UAL CSV is not ours');
});

test('JSON matchers do not overlap', () => {
  const rws = { MessageTraceId: 'x', Received: '/Date(1)/', RecipientAddress: 'a@b' };
  const graph = { '@odata.type': '#microsoft.graph.exchangeMessageTrace', id: 'x', receivedDateTime: 'z', recipientAddress: 'a@b' };
  assert.equal(rwsJsonDecoder.matchRecord!(rws), true);
  assert.equal(graphMessageTraceDecoder.matchRecord!(rws), false);
  assert.equal(graphMessageTraceDecoder.matchRecord!(graph), true);
  assert.equal(rwsJsonDecoder.matchRecord!(graph), false);
  assert.equal(graphMessageTraceDecoder.matchRecord!({ '@odata.type': '#microsoft.graph.signIn', receivedDateTime: 'z', senderAddress: 'a' }), false);
});

test('helpers: status vocabulary, trace ids, headers, sizes, recipient_status', () => {
  assert.deepEqual(normalizeStatus('filteredAsSpam'), { status: 'FilteredAsSpam', outcome: 'failure' });
  assert.deepEqual(normalizeStatus('Getting status'), { status: 'GettingStatus', outcome: 'unknown' });
  assert.deepEqual(normalizeStatus('Resolved'), { status: 'Resolved', outcome: 'success' });
  assert.deepEqual(normalizeStatus('Weird'), { status: 'Weird', outcome: 'unknown' });
  assert.deepEqual(normalizeStatus(null), { outcome: 'unknown' });
  assert.equal(normalizeTraceId('2BBAD36AA4674C7BA82F4B307FFF549F'), '2bbad36a-a467-4c7b-a82f-4b307fff549f');
  assert.equal(columnKey('Date (UTC+02:00)'), 'date');
  assert.equal(columnKey('Recipient_address'), 'recipientaddress');
  assert.equal(zoneOfHeader('Date (UTC+2)'), '+02:00');
  assert.equal(zoneOfHeader('Date [UTC]'), 'UTC');
  assert.equal(zoneOfHeader('Date (Pacific Time)'), 'local');
  assert.equal(zoneOfHeader('Date'), undefined);
  assert.equal(parseSize('1.5 MB'), 1572864);
  assert.equal(parseSize('abc'), undefined);
  assert.deepEqual(parseRecipientStatus('a@x##Receive, Deliver;;b@y'), [
    { address: 'a@x', events: ['Receive', 'Deliver'] },
    { address: 'b@y', events: [] },
  ]);
  assert.deepEqual(decideDirection({ time: 0, outcome: 'unknown' }, undefined, undefined), { direction: 'unknown', basis: 'none' });
});

test('EAC date header with an unreadable zone quarantines without --tz and uses --tz when given', () => {
  const header = ['Date (Pacific Time)', 'Sender', 'Recipient', 'Subject', 'Status'];
  const rec: RawRecord = {
    value: { 'Date (Pacific Time)': '6/13/2025 3:30:00 AM', Sender: 'a@contoso.com', Recipient: 'b@adatum.example', Subject: 's', Status: 'Delivered' },
    text: 'row', file: 'f.csv', line: 2, container: 'csv', header,
  };
  const q = eacCsvDecoder.decode(rec, {});
  assert.equal(q.kind, 'quarantine');
  const ok = eacCsvDecoder.decode(rec, { tz: 'America/Los_Angeles' });
  assert.equal(ok.kind, 'events');
  if (ok.kind === 'events') {
    assert.equal(ok.events[0]!.time, Date.UTC(2025, 5, 13, 10, 30));
    assert.deepEqual(ok.events[0]!.raw, { file: 'f.csv', line: 2, format: 'exchange.messagetrace.csv.eac', text: 'row' });
  }
});

test('decoders never throw on drifting field types', () => {
  const anyValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.object(), fc.constant('/Date(1717408215123)/'));
  const keys = ['Received', 'SenderAddress', 'RecipientAddress', 'MessageId', 'MessageTraceId', 'Status', 'Size', 'FromIP', 'ToIP', 'Subject', 'Organization', 'Event', 'Detail'];
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue), (value) => {
      const rec: RawRecord = { value: { MessageTraceId: 'x', ...value }, text: '{}', file: 'f', container: 'json' };
      const r = rwsJsonDecoder.decode(rec, {});
      assert.ok(['events', 'filtered', 'quarantine'].includes(r.kind));
      const g = graphMessageTraceDecoder.decode({ ...rec, value: { receivedDateTime: value.Received, senderAddress: value.SenderAddress, size: value.Size, status: value.Status } }, {});
      assert.ok(['events', 'quarantine'].includes(g.kind));
    }),
    { numRuns: 300 },
  );
  const csvKeys = ['origin_timestamp_utc', 'sender_address', 'recipient_status', 'total_bytes', 'event_id', 'directionality', 'network_message_id'];
  fc.assert(
    fc.property(fc.array(fc.string(), { minLength: csvKeys.length, maxLength: csvKeys.length }), (cells) => {
      const value = Object.fromEntries(csvKeys.map((k, i) => [k, cells[i]!]));
      const r = historicalCsvDecoder.decode({ value, text: 'x', file: 'f', container: 'csv', header: csvKeys }, {});
      assert.ok(['events', 'filtered', 'quarantine'].includes(r.kind));
    }),
    { numRuns: 300 },
  );
});

test('Windows PowerShell 5.1 Export-Csv with a #TYPE preamble reaches the PowerShell CSV decoder', async () => {
  const csv = [
    '#TYPE Deserialized.Microsoft.Exchange.Management.FfoReporting.MessageTrace',
    '"Organization","MessageId","Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageTraceId"',
    '"contoso.onmicrosoft.com","<a@b>","05.09.2022 18:10:13","x@fabrikam.example","y@contoso.onmicrosoft.com","hi","Delivered","","198.51.100.9","10","2f4e6a8c-0b1d-4c3e-a5f7-08dc83c0aaaa"',
  ].join('\r\n');
  const r = await decodeText(csv, 'trace.csv', { dayFirst: true });
  assert.deepEqual(r.format, ['exchange.messagetrace.csv.powershell']);
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0]!.time, Date.UTC(2022, 8, 5, 18, 10, 13), 'de-DE "05.09.2022" with --day-first');
  assert.equal(r.events[0]!.action, 'mail.receive');
});
