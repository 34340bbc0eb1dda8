import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../core/errors.js';
import { parseConfig } from './config.js';
import { defaultWatchConfig } from './watch.js';

function problems(text: string): string[] {
  try {
    parseConfig(text, 'tw.yml', []);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message.split('\n');
  }
  return [];
}

test('watch + sinks: durations in ms, per-type defaults, generated names, secrets as references', () => {
  const c = parseConfig(
    `watch:
  interval: 2m
  delay: 3m
  lookback: 5m
  backfill: 6h
  listen: 127.0.0.1:9500
  deadLetter: /var/lib/tenantwatch/dead.ndjson
  delivery: { maxAttempts: 5, backoff: 10s, maxBackoff: 30m }
sinks:
  - type: teams
    url: { env: TW_TEAMS_URL }
  - type: slack
    url: { file: /etc/tenantwatch/slack-url }
    minSeverity: high
  - type: webhook
    name: soar
    url: { env: TW_HOOK_URL }
    secret: { env: TW_HOOK_KEY }
    format: ocsf
  - type: syslog
    host: siem.contoso.example
    transport: udp
    format: cef
    facility: local4
  - type: syslog
    host: 198.51.100.7
  - type: file
    path: alerts.ndjson
`,
    'tw.yml',
    [],
  );
  assert.deepEqual(c.watch, { ...defaultWatchConfig(), interval: 120_000, delay: 180_000, lookback: 300_000, backfill: 6 * 3_600_000, listen: { host: '127.0.0.1', port: 9500 }, deadLetter: '/var/lib/tenantwatch/dead.ndjson', delivery: { maxAttempts: 5, backoff: 10_000, maxBackoff: 1_800_000 } });
  const s = c.sinks!;
  assert.deepEqual(s.map((x) => x.name), ['teams', 'slack', 'soar', 'syslog', 'syslog-2', 'file']);
  assert.deepEqual(s[0], { type: 'teams', name: 'teams', minSeverity: 'medium', revisions: 'escalations', timeout: 10_000, url: { env: 'TW_TEAMS_URL' } });
  assert.equal(s[1]!.minSeverity, 'high');
  assert.deepEqual(s[2], { type: 'webhook', name: 'soar', format: 'ocsf', minSeverity: 'informational', revisions: 'all', timeout: 10_000, url: { env: 'TW_HOOK_URL' }, secret: { env: 'TW_HOOK_KEY' } });
  assert.deepEqual(s[3], { type: 'syslog', name: 'syslog', host: 'siem.contoso.example', transport: 'udp', port: 514, format: 'cef', facility: 20, appName: 'tenantwatch', framing: 'octet-counting', maxMessageBytes: 8192, minSeverity: 'informational', revisions: 'all', timeout: 10_000 });
  assert.equal((s[4] as { transport: string; port: number }).transport, 'tls');
  assert.equal((s[4] as { port: number }).port, 6514);
  assert.deepEqual(s[5], { type: 'file', name: 'file', path: 'alerts.ndjson', format: 'ndjson', minSeverity: 'informational', revisions: 'all', timeout: 10_000 });
  assert.equal(parseConfig('watch:\n  listen: off\n', 'tw.yml', []).watch!.listen, undefined);
});

test('watch/sinks problems are reported at file:line:col, and a pasted URL or key is never echoed', () => {
  const url = 'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=S3CR3T';
  const p = problems(`watch:
  listen: 0.0.0.0:9464
  lookback: 20m
sinks:
  - type: team
    url: { env: X }
  - type: teams
    url: ${url}
  - type: webhook
    url: { env: TW_HOOK_URL }
    secret: Sup3rSecretHmacKey
  - type: slack
  - type: syslog
    host: siem.contoso.example
    facility: local9
    transprt: tcp
  - type: file
    name: out
    path: a.ndjson
  - type: file
    name: out
    path: b.ndjson
`);
  const text = p.join('\n');
  assert.ok(!text.includes('S3CR3T') && !text.includes('logic.azure.com') && !text.includes('Sup3rSecretHmacKey'), text);
  const expect = [
    /^tw\.yml:2:11: watch\.listen: .*loopback only/,
    /^tw\.yml:3:13: watch\.lookback \(20m\) must be shorter than the lateness of entra\.signin \(15m\)/,
    /^tw\.yml:5:11: sinks\[0\]\.type: unknown sink type "team" .*\(did you mean "teams"\?\)/,
    /^tw\.yml:8:10: sinks\[1\]\.url: give \{ env: VARIABLE \} or \{ file: PATH \} — the webhook URL is a secret/,
    /^tw\.yml:11:13: sinks\[2\]\.secret: give \{ env: VARIABLE \} or \{ file: PATH \} — the HMAC key is a secret/,
    /^tw\.yml:12:5: sinks\[3\] \(slack\): url is required/,
    /^tw\.yml:15:15: sinks\[4\]\.facility: expected a syslog facility .*\(did you mean "local0"\?\)/,
    /^tw\.yml:16:5: unknown key "transprt" in sinks\[4\] \(did you mean "transport"\?\)/,
    /^tw\.yml:21:11: sinks\[6\]: the name "out" is used by another sink/,
  ];
  for (const re of expect) assert.ok(p.some((l) => re.test(l)), `missing ${re}\n${text}`);
});

test('a webhook URL or key pasted as { file: … } is refused without being shown', () => {
  const url = 'https://hooks.slack.com/services/T0001/B0001/XoXSeCrEtWeBhOoKtOkEn';
  const p = problems(`sinks:\n  - type: slack\n    url: { file: "${url}" }\n  - type: webhook\n    url: { file: /etc/tw/hook }\n    secret: { file: "-----BEGIN PRIVATE KEY-----\\nMIIEv\\n-----END PRIVATE KEY-----" }\n`);
  assert.equal(p.length, 2, p.join('\n'));
  assert.match(p[0]!, /^tw\.yml:3:10: sinks\[0\]\.url\.file: expected a path to a file holding the value, got a URL \(not shown\)/);
  assert.match(p[1]!, /^tw\.yml:6:13: sinks\[1\]\.secret\.file: .*got a PEM key or certificate \(not shown\)/);
  assert.ok(!p.join('\n').includes('XoXSeCrEt') && !p.join('\n').includes('MIIEv'));
});
