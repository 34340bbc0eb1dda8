import { DAY_MS, list, missing, num, str, time } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

const HEADER_BYPASS = /^x-ms-exchange-organization-|^x-forefront-antispam|^x-microsoft-antispam|^authentication-results|^received-spf|^x-ms-exchange-crosstenant/i;

export const D4: Check = {
  id: 'D4',
  title: 'No transport rule bypasses spam filtering, strips headers or redirects mail out',
  severity: 'high',
  stage: 'connector-spam',
  mappings: { maester: ['MT.1043', 'ORCA.118.2', 'ORCA.118.4'], cis: ['6.2.2', '6.2.1'] },
  needs: ['exchange/Get-TransportRule.json'],
  remediation: 'Disable (Disable-TransportRule) any listed rule you did not create, then remove it; replace SCL -1 allow-rules with Tenant Allow/Block List entries or a properly authenticated connector. The campaign added rules that strip headers so its spam passed as the victim\'s mail.',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-TransportRule');
    if (c.state !== 'ok') return missing(c);
    const objects: AuditObject[] = [];
    let bypass = false;
    for (const r of c.items) {
      const state = (str(r, 'State') ?? 'Enabled').toLowerCase();
      const mode = (str(r, 'Mode') ?? 'Enforce').toLowerCase();
      if (state !== 'enabled' || mode !== 'enforce') continue;
      const name = str(r, 'Name') ?? str(r, 'Identity') ?? '(rule)';
      const why: string[] = [];
      const scl = num(r, 'SetSCL');
      if (scl === -1) { bypass = true; why.push(`sets SCL -1 (skips spam filtering)${list(r, 'SenderDomainIs').length ? ` for sender domains ${list(r, 'SenderDomainIs').join(', ')}` : ''}`); }
      const removed = [str(r, 'RemoveHeader'), str(r, 'SetHeaderName')].filter((h): h is string => !!h);
      const bypassHeaders = removed.filter((h) => HEADER_BYPASS.test(h));
      if (bypassHeaders.length) { bypass = true; why.push(`removes or sets filtering/authentication headers (${bypassHeaders.join(', ')})`); }
      else if (str(r, 'RemoveHeader')) why.push(`removes header ${str(r, 'RemoveHeader')}`);
      const redirect = [...list(r, 'RedirectMessageTo'), ...list(r, 'BlindCopyTo')];
      if (redirect.length) why.push(`redirects or BCCs mail to ${redirect.join(', ')}`);
      if (str(r, 'RouteMessageOutboundConnector')) why.push(`routes mail through connector ${str(r, 'RouteMessageOutboundConnector')}`);
      const changed = time(r, 'WhenChangedUTC') ?? time(r, 'WhenChanged');
      if (why.length && changed !== undefined && ctx.now - changed < ctx.config.recentDays * DAY_MS) why.push(`changed ${new Date(changed).toISOString().slice(0, 10)}`);
      if (why.length) objects.push({ type: 'transportRule', id: str(r, 'Guid') ?? str(r, 'Identity') ?? name, name, reason: why.join('; ') });
    }
    if (bypass) return { status: 'Fail', details: 'Enabled transport rules bypass spam filtering or tamper with authentication headers.', objects, causes: true };
    if (objects.length) return { status: 'Warn', details: `${objects.length} enabled transport rule(s) remove headers or send mail elsewhere: confirm they are yours.`, objects, causes: true };
    return { status: 'Pass', details: `${c.items.length} transport rule(s); none bypass filtering, strip filtering headers or redirect mail.` };
  },
};
