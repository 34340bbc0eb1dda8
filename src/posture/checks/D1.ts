import { bool, DAY_MS, list, missing, str, time } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

/** Number of addresses in an Exchange SenderIPAddresses entry: "203.0.113.5", "203.0.113.0/24", "a.b.c.d-e.f.g.h", IPv6 CIDR. */
export function ipEntrySize(entry: string): { v6: boolean; prefix: number } | undefined {
  const s = entry.trim();
  const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/i.exec(s);
  if (cidr) return { v6: cidr[1]!.includes(':'), prefix: Number(cidr[2]) };
  const range = /^(\d+\.\d+\.\d+\.\d+)\s*-\s*(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (range) {
    const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const n = Math.abs(toInt(range[2]!) - toInt(range[1]!)) + 1;
    return { v6: false, prefix: 32 - Math.ceil(Math.log2(n)) };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return { v6: false, prefix: 32 };
  if (/^[0-9a-f:]+$/i.test(s) && s.includes(':')) return { v6: true, prefix: 128 };
  return undefined;
}

/** 'wide' = /16 or larger (IPv4) or /32 or larger (IPv6); 'broad' = bigger than a /24 (v4) or /48 (v6). */
function breadth(entry: string): 'wide' | 'broad' | 'narrow' | 'unknown' {
  const sz = ipEntrySize(entry);
  if (!sz) return 'unknown';
  if (sz.v6) return sz.prefix <= 32 ? 'wide' : sz.prefix < 48 ? 'broad' : 'narrow';
  return sz.prefix <= 16 ? 'wide' : sz.prefix < 24 ? 'broad' : 'narrow';
}

export const D1: Check = {
  id: 'D1',
  title: 'Inbound connectors are locked to a certificate or narrow IP ranges',
  severity: 'critical',
  stage: 'connector-spam',
  mappings: { maester: ['ORCA.233 (enhanced filtering only)'], scubagear: ['(exported, not evaluated)'] },
  needs: ['exchange/Get-InboundConnector.json'],
  remediation: 'For each listed connector: if you did not create it, disable it now (Set-InboundConnector -Enabled $false), then review the audit log for who created it. Otherwise require a TLS certificate (TlsSenderCertificateName + RestrictDomainsToCertificate) or restrict it to your gateway\'s exact IP ranges (RestrictDomainsToIPAddresses), never accept sender domain "*" unrestricted, and keep TreatMessagesAsInternal/CloudServicesMailEnabled for hybrid-wizard connectors only. The campaign created an inbound connector to relay spam through the victim tenant.',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-InboundConnector');
    if (c.state !== 'ok') return missing(c);
    const objects: AuditObject[] = [];
    let failing = false;
    let warning = false;
    let enabledCount = 0;
    for (const k of c.items) {
      if (bool(k, 'Enabled') === false) continue;
      enabledCount++;
      const name = str(k, 'Name') ?? str(k, 'Identity') ?? '(connector)';
      const type = (str(k, 'ConnectorType') ?? '').toLowerCase();
      const source = (str(k, 'ConnectorSource') ?? '').toLowerCase();
      const cert = str(k, 'TlsSenderCertificateName');
      const ips = list(k, 'SenderIPAddresses');
      const domains = list(k, 'SenderDomains').map((d) => d.replace(/^smtp:/i, '').replace(/;\d+$/, ''));
      const restrictIp = bool(k, 'RestrictDomainsToIPAddresses') === true;
      const restrictCert = bool(k, 'RestrictDomainsToCertificate') === true;
      const bad: string[] = [];
      const odd: string[] = [];
      const wide = ips.filter((ip) => breadth(ip) === 'wide');
      const broad = ips.filter((ip) => breadth(ip) === 'broad');
      if (!cert) {
        if (wide.length) bad.push(`accepts wide IP ranges ${wide.join(', ')} without a certificate`);
        else if (broad.length) odd.push(`accepts ranges larger than /24 (${broad.join(', ')}) without a certificate`);
        if (type === 'onpremises' && !ips.length) bad.push('on-premises connector with neither a certificate nor sender IPs');
      }
      if (type === 'partner' && domains.includes('*') && !restrictIp && !restrictCert) bad.push('partner connector for sender domain "*" not restricted to IPs or a certificate');
      if ((bool(k, 'TreatMessagesAsInternal') === true || bool(k, 'CloudServicesMailEnabled') === true) && source !== 'hybridwizard') {
        bad.push('treats mail as internal (TreatMessagesAsInternal/CloudServicesMailEnabled) outside a hybrid-wizard connector');
      }
      if (type === 'partner' && bool(k, 'RequireTls') === false && !restrictIp && !restrictCert) odd.push('does not require TLS');
      const created = time(k, 'WhenCreatedUTC') ?? time(k, 'WhenCreated');
      const changed = time(k, 'WhenChangedUTC') ?? time(k, 'WhenChanged');
      const recentMs = ctx.config.recentDays * DAY_MS;
      if (created !== undefined && ctx.now - created < recentMs) odd.push(`created ${new Date(created).toISOString().slice(0, 10)} (last ${ctx.config.recentDays} days): confirm who made it`);
      else if (changed !== undefined && ctx.now - changed < recentMs) odd.push(`changed ${new Date(changed).toISOString().slice(0, 10)} (last ${ctx.config.recentDays} days)`);
      if (bad.length || odd.length) {
        failing ||= bad.length > 0;
        warning ||= odd.length > 0;
        objects.push({ type: 'connector', id: str(k, 'ExchangeObjectId') ?? str(k, 'Guid') ?? name, name, reason: `${type || 'unknown type'} connector (${source || 'unknown source'}): ${[...bad, ...odd].join('; ')}` });
      }
    }
    if (failing) return { status: 'Fail', details: `${objects.length} of ${enabledCount} enabled inbound connector(s) can relay mail an attacker sends.`, objects, causes: true };
    if (warning) return { status: 'Warn', details: `${objects.length} inbound connector(s) need a look.`, objects, causes: true };
    return { status: 'Pass', details: enabledCount ? `${enabledCount} enabled inbound connector(s), each bound to a certificate or narrow IP ranges.` : 'No enabled inbound connectors.' };
  },
};
