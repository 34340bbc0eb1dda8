import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { createEnrichment } from '../enrich/allowlists.js';
import { DEFAULT_LATENESS, latenessFor, loadConfig, parseConfig, type KnownRule } from './config.js';
import { suggest } from './schema.js';
import { DAY, MINUTE, formatDuration, humanDuration, parseDuration } from './tunables.js';

const RULES: KnownRule[] = [
  {
    id: 'TW-SIGNIN-001',
    suppressMs: 60 * MINUTE,
    tunables: {
      threshold: { type: 'integer', default: 10, min: 2, help: 'accounts' },
      window: { type: 'duration', default: 20 * MINUTE, min: MINUTE, help: 'window' },
      codes: { type: 'string[]', default: ['50126'], help: 'codes' },
      by: { type: 'string', default: 'asn', values: ['asn', 'ip'], help: 'by' },
    },
  },
  { id: 'TW-APP-001', suppressMs: DAY, tunables: {} },
];

function problems(text: string): string[] {
  try {
    parseConfig(text, 'tenantwatch.yml', RULES);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.exitCode, 2);
    return e.message.split('\n');
  }
  return [];
}

const FULL = `# a complete config
rules:
  disabled: [TW-APP-001]
  tunables:
    TW-SIGNIN-001:
      threshold: 12
      window: 30m
      codes: ["50126", "50053"]
      suppress: 2h
allowlists:
  trustedIps: [198.51.100.0/24, 203.0.113.7, "2001:db8::/32"]
  namedLocations:
    - name: HQ
      cidrs: [192.0.2.0/24]
      trusted: true
    - name: Lab
      cidrs: [198.18.0.0/15]
  vpnAsns: [13335, AS64500]
  breakGlass: [BG1@Contoso.com]
  collectorAppId: 5B1E0A11-8888-4888-8888-0000000000E3
privilegedAccounts: [Admin@contoso.com, 7f0e0000-0000-4000-8000-000000000001]
lateness:
  ual: 24h
  default: 30m
audit:
  exemptions: []
`;

test('a complete config parses into typed, normalized values', () => {
  const c = parseConfig(FULL, 'tenantwatch.yml', RULES);
  assert.deepEqual(c.rules.disabled, ['TW-APP-001']);
  assert.deepEqual(c.rules.tunables['TW-SIGNIN-001'], { threshold: 12, window: 30 * MINUTE, codes: ['50126', '50053'], suppress: 120 * MINUTE });
  assert.deepEqual(c.allowlists.vpnAsns, [13335, 64500]);
  assert.deepEqual(c.allowlists.breakGlass, ['bg1@contoso.com']);
  assert.equal(c.allowlists.collectorAppId, '5b1e0a11-8888-4888-8888-0000000000e3');
  assert.deepEqual(c.allowlists.namedLocations[1], { name: 'Lab', cidrs: ['198.18.0.0/15'], trusted: false });
  assert.deepEqual(c.privilegedAccounts, ['admin@contoso.com', '7f0e0000-0000-4000-8000-000000000001']);
  assert.equal(latenessFor(c, 'ual'), 24 * 60 * MINUTE);
  assert.equal(latenessFor(c, 'entra.signin'), 30 * MINUTE);
  assert.deepEqual(c.audit, { exemptions: [] });
});

test('an empty file is the default config', () => {
  const c = parseConfig('', 'empty.yml', RULES);
  assert.deepEqual(c.rules, { disabled: [], tunables: {} });
  assert.equal(latenessFor(c, 'entra.signin'), DEFAULT_LATENESS['entra.signin']);
});

test('unknown keys are reported with file:line:col and a suggestion', () => {
  assert.deepEqual(problems('rules:\n  tunables:\n    TW-SIGNIN-001:\n      treshold: 5\n'), [
    'tenantwatch.yml:4:7: unknown key "treshold" in rules.tunables.TW-SIGNIN-001 (did you mean "threshold"?)',
  ]);
  assert.deepEqual(problems('allowlist:\n  trustedIps: []\n'), ['tenantwatch.yml:1:1: unknown key "allowlist" in the top level (did you mean "allowlists"?)']);
});

test('unknown rule ids and sources get suggestions', () => {
  assert.deepEqual(problems('rules:\n  disabled: [TW-SIGNIN-01]\n'), [
    'tenantwatch.yml:2:14: rules.disabled[0]: unknown rule "TW-SIGNIN-01" (did you mean "TW-SIGNIN-001"?)',
  ]);
  assert.deepEqual(problems('rules:\n  tunables:\n    TW-APP-01: {}\n'), [
    'tenantwatch.yml:3:5: rules.tunables: unknown rule "TW-APP-01" (did you mean "TW-APP-001"?)',
  ]);
  assert.deepEqual(problems('lateness:\n  entra.signins: 5m\n'), [
    'tenantwatch.yml:2:3: lateness: unknown source "entra.signins" (did you mean "entra.signin"?)',
  ]);
});

test('wrong types and values are reported, all of them at once', () => {
  const p = problems(
    [
      'rules:',
      '  tunables:',
      '    TW-SIGNIN-001:',
      '      threshold: ten',
      '      window: 10',
      '      by: country',
      '      suppress: soon',
      'allowlists:',
      '  trustedIps: [300.1.1.1, 10.0.0.0/40]',
      '  vpnAsns: [cloudflare]',
      '  collectorAppId: not-a-guid',
      'privilegedAccounts: admin@contoso.com',
      'lateness:',
      '  ual: 24',
    ].join('\n'),
  );
  assert.deepEqual(p, [
    'tenantwatch.yml:4:18: rules.tunables.TW-SIGNIN-001.threshold: expected an integer, got "ten"',
    'tenantwatch.yml:5:15: rules.tunables.TW-SIGNIN-001.window: expected a duration like "10m", "2h" or "7d", got number 10',
    'tenantwatch.yml:6:11: rules.tunables.TW-SIGNIN-001.by: expected one of asn, ip, got "country"',
    'tenantwatch.yml:7:17: rules.tunables.TW-SIGNIN-001.suppress: expected a duration like "10m", "2h" or "7d", got "soon"',
    'tenantwatch.yml:9:16: allowlists.trustedIps[0]: "300.1.1.1" is not an IP or CIDR (write 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32)',
    'tenantwatch.yml:9:27: allowlists.trustedIps[1]: "10.0.0.0/40": prefix length must be 0-32',
    'tenantwatch.yml:10:13: allowlists.vpnAsns[0]: expected an AS number like 13335 or "AS13335", got "cloudflare"',
    'tenantwatch.yml:11:19: allowlists.collectorAppId: expected an application (client) id GUID, got "not-a-guid"',
    'tenantwatch.yml:12:21: privilegedAccounts: expected a list ("- item" lines or [a, b]), got "admin@contoso.com"',
    'tenantwatch.yml:14:8: lateness.ual: expected a duration like "15m", "1h" or "24h", got number 24',
  ]);
});

test('range checks on tunables', () => {
  assert.deepEqual(problems('rules:\n  tunables:\n    TW-SIGNIN-001:\n      threshold: 1\n      window: 10s\n'), [
    'tenantwatch.yml:4:18: rules.tunables.TW-SIGNIN-001.threshold: must be >= 2, got 1',
    'tenantwatch.yml:5:15: rules.tunables.TW-SIGNIN-001.window: must be at least 1m, got 10s',
  ]);
});

test('YAML syntax errors and duplicate keys carry their position', () => {
  const dup = problems('privilegedAccounts: []\nprivilegedAccounts: []\n');
  assert.equal(dup.length, 1);
  assert.match(dup[0]!, /^tenantwatch\.yml:2:1: YAML syntax: Map keys must be unique/);
  const bad = problems('rules:\n  disabled: [a\n');
  assert.match(bad[0]!, /^tenantwatch\.yml:\d+:\d+: YAML syntax: /);
});

test('loadConfig: missing files are a config error; a BOM is fine', async () => {
  await assert.rejects(loadConfig('/nonexistent/tenantwatch.yml', RULES), (e: unknown) => e instanceof ConfigError && /cannot read the config file: ENOENT/.test(e.message));
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'twcfg-')), 'c.yml');
  writeFileSync(f, '\uFEFFprivilegedAccounts: [a@contoso.com]\n');
  assert.deepEqual((await loadConfig(f, RULES)).privilegedAccounts, ['a@contoso.com']);
});

test('enrichment from config: privileged, break-glass, trusted CIDRs and named locations, VPN ASNs, collector', () => {
  const e = createEnrichment(parseConfig(FULL, 'tenantwatch.yml', RULES), { privileged: ['Snapshot-Admin@contoso.com'] });
  assert.ok(e.isPrivileged('admin@contoso.com'));
  assert.ok(e.isPrivileged(undefined, '7F0E0000-0000-4000-8000-000000000001'));
  assert.ok(e.isPrivileged('snapshot-admin@contoso.com'));
  assert.ok(!e.isPrivileged('user@contoso.com'));
  assert.ok(e.isBreakGlass('bg1@contoso.com'));
  assert.ok(e.isTrustedIp('198.51.100.200'));
  assert.ok(e.isTrustedIp('203.0.113.7'));
  assert.ok(!e.isTrustedIp('203.0.113.8'));
  assert.ok(e.isTrustedIp('2001:db8:ffff::1'));
  assert.ok(e.isTrustedIp('192.0.2.9'), 'trusted named location');
  assert.ok(!e.isTrustedIp('198.18.0.1'), 'untrusted named location');
  assert.equal(e.namedLocation('198.18.3.4'), 'Lab');
  assert.equal(e.namedLocation('8.8.8.8'), undefined);
  assert.ok(!e.isTrustedIp('not an ip'));
  assert.ok(e.isVpnAsn(64500) && !e.isVpnAsn(1));
  assert.ok(e.isCollectorApp('5B1E0A11-8888-4888-8888-0000000000E3'));
});

test('durations: parse, format, say', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1.5h'), 90 * MINUTE);
  assert.equal(parseDuration('2w'), 14 * DAY);
  assert.equal(parseDuration('10'), undefined);
  assert.equal(parseDuration(10), undefined);
  assert.equal(formatDuration(90 * MINUTE), '90m');
  assert.equal(formatDuration(DAY), '1d');
  assert.equal(humanDuration(20 * MINUTE), '20 minutes');
  assert.equal(humanDuration(DAY), '1 day');
  assert.equal(humanDuration(90_500), '1.5 minutes');
  assert.equal(humanDuration(14_242_000), '4 hours', 'a span in whole seconds (UAL) reads like any other span');
  assert.equal(humanDuration(1_854_162_000), '21.5 days');
  assert.equal(humanDuration(100 * MINUTE + 30_000), '100.5 minutes');
  assert.equal(humanDuration(45_000), '45 seconds');
});

test('suggest: typos only, not unrelated words', () => {
  assert.equal(suggest('treshold', ['threshold', 'window']), 'threshold');
  assert.equal(suggest('colour', ['threshold', 'window']), undefined);
});
