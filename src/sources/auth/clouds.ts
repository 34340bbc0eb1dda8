// Hosts per Microsoft cloud. A tenant lives in exactly one; the config's `tenant.cloud` picks the set and
// `tenant.endpoints` overrides single hosts (also how tests point everything at the local fake service).
import type { CloudName, EndpointOverrides } from '../../config/collect.js';

export interface CloudEndpoints {
  /** token authority host, e.g. https://login.microsoftonline.com */
  authority: string;
  /** Microsoft Graph */
  graph: string;
  /** Office 365 Management Activity API */
  management: string;
  /** Exchange Online admin API (the REST endpoint the EXO v3 module uses) */
  exchange: string;
}

/**
 * Sources: Management API roots from the API reference (Enterprise, GCC, GCC High, DoD); Graph national cloud
 * deployments; Exchange Online hosts of Connect-ExchangeOnline -ExchangeEnvironmentName. The China (21Vianet)
 * Management API host is not in the reference we hold: override it with tenant.endpoints.management.
 */
export const CLOUD_ENDPOINTS: Record<CloudName, CloudEndpoints> = {
  global: { authority: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com', management: 'https://manage.office.com', exchange: 'https://outlook.office365.com' },
  gcc: { authority: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com', management: 'https://manage-gcc.office.com', exchange: 'https://outlook.office365.com' },
  gcchigh: { authority: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us', management: 'https://manage.office365.us', exchange: 'https://outlook.office365.us' },
  dod: { authority: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us', management: 'https://manage.protection.apps.mil', exchange: 'https://outlook-dod.office365.us' },
  china: { authority: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn', management: 'https://manage.office.cn', exchange: 'https://partner.outlook.cn' },
};

/** Login hosts MSAL knows (instance discovery works for them); any other host is trusted via knownAuthorities. */
export const MICROSOFT_LOGIN_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net', 'login.microsoftonline.us', 'login.usgovcloudapi.net', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn']);

export function resolveEndpoints(cloud: CloudName, overrides: EndpointOverrides = {}): CloudEndpoints {
  return { ...CLOUD_ENDPOINTS[cloud], ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => typeof v === 'string')) };
}

export type ResourceName = 'graph' | 'management' | 'exchange';

/** The v2 scope of a resource: its host + /.default (app-only tokens carry the app roles granted on it). */
export function scopeFor(endpoints: CloudEndpoints, resource: ResourceName): string {
  return `${endpoints[resource]}/.default`;
}
