// Audit settings from the config file: break-glass accounts, the tenantwatch collector app, and accepted risks.
// The shared config (src/config) has allowlists.breakGlass and allowlists.collectorAppId but no exemptions yet, so
// this module reads the `audit:` section itself (YAML, errors with file:line:col) plus those two allowlists keys.
// parseAuditConfig() takes the plain object so the shared loader can delegate the `audit` section to it.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, type Node } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import type { AuditObject, AuditResult, Exemption } from './types.js';

export interface ExemptionRule {
  /** check id, e.g. "A6", or "*" for every check */
  check: string;
  /** object ids, UPNs or display names this exemption covers; absent = the whole check */
  objects?: string[];
  justification: string;
  /** YYYY-MM-DD; after this day the exemption no longer applies and the report says so */
  expires?: string;
}

export interface AuditConfig {
  /** emergency-access accounts: object ids or UPNs */
  breakGlass: string[];
  /** the app tenantwatch collects with (Exchange.ManageAsApp + Global Reader): reported as expected */
  collector?: { appId: string; name?: string };
  exemptions: ExemptionRule[];
  /** objects created or changed within this many days are called out as recent (connectors, grants, rules) */
  recentDays: number;
}

export const DEFAULT_AUDIT_CONFIG: AuditConfig = { breakGlass: [], exemptions: [], recentDays: 30 };

interface Problem { path: (string | number)[]; message: string }

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validate the `audit` section (already parsed). Returns the config and problems with their YAML paths. */
export function parseAuditConfig(section: unknown, base: (string | number)[] = ['audit']): { config: AuditConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const config: AuditConfig = { breakGlass: [], exemptions: [], recentDays: 30 };
  if (section === undefined || section === null) return { config, problems };
  if (!isObject(section)) return { config, problems: [{ path: base, message: 'audit must be a mapping' }] };
  const known = new Set(['breakGlass', 'collector', 'exemptions', 'recentDays']);
  for (const k of Object.keys(section)) if (!known.has(k)) problems.push({ path: [...base, k], message: `unknown key "${k}" (expected one of ${[...known].join(', ')})` });

  const bg = section.breakGlass;
  if (bg !== undefined) {
    if (!Array.isArray(bg)) problems.push({ path: [...base, 'breakGlass'], message: 'breakGlass must be a list of object ids or UPNs' });
    else bg.forEach((v, i) => {
      if (typeof v === 'string' && v.trim()) config.breakGlass.push(v.trim().toLowerCase());
      else problems.push({ path: [...base, 'breakGlass', i], message: 'each break-glass entry must be an object id or UPN' });
    });
  }
  const col = section.collector;
  if (col !== undefined) {
    if (!isObject(col) || typeof col.appId !== 'string' || !GUID.test(col.appId)) {
      problems.push({ path: [...base, 'collector'], message: 'collector must be {appId: <application (client) id GUID>, name?: text}' });
    } else config.collector = { appId: col.appId.toLowerCase(), ...(typeof col.name === 'string' ? { name: col.name } : {}) };
  }
  const rd = section.recentDays;
  if (rd !== undefined) {
    if (typeof rd !== 'number' || !Number.isInteger(rd) || rd < 1 || rd > 3650) problems.push({ path: [...base, 'recentDays'], message: 'recentDays must be a whole number of days between 1 and 3650' });
    else config.recentDays = rd;
  }
  const ex = section.exemptions;
  if (ex !== undefined) {
    if (!Array.isArray(ex)) problems.push({ path: [...base, 'exemptions'], message: 'exemptions must be a list' });
    else ex.forEach((e, i) => {
      const p = [...base, 'exemptions', i];
      if (!isObject(e)) return void problems.push({ path: p, message: 'an exemption is {check, objects?, justification, expires?}' });
      if (typeof e.check !== 'string' || !e.check.trim()) return void problems.push({ path: [...p, 'check'], message: 'check is required (a check id such as A6, or "*")' });
      if (typeof e.justification !== 'string' || e.justification.trim().length < 5) {
        return void problems.push({ path: [...p, 'justification'], message: 'justification is required: say why the risk is accepted' });
      }
      let expires: string | undefined;
      if (e.expires !== undefined) {
        const s = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
        if (!DAY.test(s) || Number.isNaN(Date.parse(s + 'T00:00:00Z'))) return void problems.push({ path: [...p, 'expires'], message: 'expires must be a date YYYY-MM-DD' });
        expires = s;
      }
      let objects: string[] | undefined;
      if (e.objects !== undefined) {
        if (!Array.isArray(e.objects) || !e.objects.every((o) => typeof o === 'string')) return void problems.push({ path: [...p, 'objects'], message: 'objects must be a list of ids, UPNs or names' });
        objects = (e.objects as string[]).map((o) => o.trim().toLowerCase());
      }
      const known2 = new Set(['check', 'objects', 'justification', 'expires']);
      for (const k of Object.keys(e)) if (!known2.has(k)) problems.push({ path: [...p, k], message: `unknown key "${k}"` });
      config.exemptions.push({ check: e.check.trim().toUpperCase() === '*' ? '*' : e.check.trim(), justification: e.justification.trim(), ...(objects ? { objects } : {}), ...(expires ? { expires } : {}) });
    });
  }
  return { config, problems };
}

/** Read the `audit:` section of a YAML config file. Problems become a ConfigError with file:line:col. */
export async function loadAuditConfig(file: string): Promise<AuditConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError([{ file, message: 'cannot read the config file' }]);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => {
      const pos = lc.linePos(e.pos[0]);
      return { file, line: pos.line, col: pos.col, message: e.message.split('\n')[0] ?? e.message };
    }));
  }
  const root: unknown = doc.toJS();
  const { config, problems } = parseAuditConfig(isObject(root) ? root.audit : undefined);
  // the shared config (src/config) keeps break-glass accounts and the collector app under `allowlists`
  const allow = isObject(root) && isObject(root.allowlists) ? root.allowlists : undefined;
  if (allow) {
    if (Array.isArray(allow.breakGlass)) for (const b of allow.breakGlass) if (typeof b === 'string' && b.trim()) config.breakGlass.push(b.trim().toLowerCase());
    if (!config.collector && typeof allow.collectorAppId === 'string' && GUID.test(allow.collectorAppId.trim())) config.collector = { appId: allow.collectorAppId.trim().toLowerCase() };
  }
  if (problems.length) {
    throw new ConfigError(problems.map((p) => {
      let node: unknown = doc.getIn(p.path, true);
      for (let cut = p.path.length - 1; !node && cut > 0; cut--) node = doc.getIn(p.path.slice(0, cut), true);
      // for unknown keys point at the key itself
      const parent = doc.getIn(p.path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((it) => (it.key as { value?: unknown })?.value === p.path[p.path.length - 1]);
        if (pair?.key) node = pair.key;
      }
      const range = (node as Node | undefined)?.range;
      const pos = range ? lc.linePos(range[0]) : undefined;
      return { file, ...(pos ? { line: pos.line, col: pos.col } : {}), message: `${p.path.join('.')}: ${p.message}` };
    }));
  }
  return config;
}

/** Is this object one of the break-glass accounts (by object id or UPN)? */
export function isBreakGlass(config: AuditConfig, id?: string, upn?: string): boolean {
  const set = config.breakGlass;
  return (id !== undefined && set.includes(id.toLowerCase())) || (upn !== undefined && set.includes(upn.toLowerCase()));
}

function activeRule(rule: ExemptionRule, now: number): boolean {
  return !rule.expires || Date.parse(rule.expires + 'T23:59:59Z') >= now;
}

function objectMatches(rule: ExemptionRule, o: AuditObject): boolean {
  if (!rule.objects) return false;
  const keys = [o.id, o.name].filter((k): k is string => !!k).map((k) => k.toLowerCase());
  return rule.objects.some((r) => keys.includes(r));
}

/** Apply config exemptions to one result. Never changes `status`: an exempt Fail stays Fail, marked exempt. */
export function applyExemptions(result: AuditResult, config: AuditConfig, now: number, objectsAreCauses = false): AuditResult {
  const rules = config.exemptions.filter((r) => r.check === '*' || r.check.toLowerCase() === result.id.toLowerCase());
  const notes: string[] = [...(result.notes ?? [])];
  for (const r of rules) if (!activeRule(r, now)) notes.push(`exemption expired on ${r.expires} and no longer applies: ${r.justification}`);
  const live = rules.filter((r) => activeRule(r, now));
  const toEx = (r: ExemptionRule): Exemption => ({ justification: r.justification, ...(r.expires ? { expires: r.expires } : {}) });
  const objects = result.objects.map((o) => {
    if (o.exempt || o.expected) return o;
    const rule = live.find((r) => objectMatches(r, o));
    return rule ? { ...o, exempt: toEx(rule) } : o;
  });
  const whole = live.find((r) => !r.objects);
  let exempt: Exemption | undefined = whole ? toEx(whole) : undefined;
  const offenders = objects.filter((o) => !o.expected);
  if (!exempt && objectsAreCauses && (result.status === 'Fail' || result.status === 'Warn') && offenders.length > 0 && offenders.every((o) => o.exempt)) {
    const first = offenders[0]!.exempt!;
    exempt = { justification: offenders.length === 1 ? first.justification : `every listed object is exempt (${first.justification})`, ...(first.expires ? { expires: first.expires } : {}), ...(offenders.every((o) => o.exempt?.breakGlass) ? { breakGlass: true } : {}) };
  }
  return { ...result, objects, ...(exempt ? { exempt } : {}), ...(notes.length ? { notes } : {}) };
}
