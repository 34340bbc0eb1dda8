// Exchange mailbox audit `ClientInfoString`: "Client=<client>;" prefixes, then the client's user agent, which has
// semicolons of its own ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) …"), so the string is not split on ';'.
// Shapes in real records (samples/sekoia-intake-formats/Office_365__o365):
//   Client=OWA;Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/… Safari/537.36;
//   Client=OWA;Action=ViaProxy            Client=MSExchangeRPC            Client=OutlookService;Outlook-iOS/2.0;
//   Client=REST;Client=RESTSystem;;
// Exchange also writes "Client=ActiveSync;UserAgent=<agent>;Action=/Microsoft-Server-ActiveSync/…" (mailbox audit
// logs; not in the samples): a "UserAgent=" key and an "Action=" suffix.

export interface ClientInfo {
  /** the first "Client=" value: OWA, REST, MSExchangeRPC, OutlookService, ActiveSync, WebServices… */
  client?: string;
  userAgent?: string;
}

const CLIENT_PREFIX = /^\s*Client=([^;]*)(?:;|$)/i;
/** ";Action=…" to the end (the request's action, e.g. "ViaProxy" or an ActiveSync URL), or the whole rest */
const ACTION_SUFFIX = /(?:^|;)\s*Action=.*$/is;

export function parseClientInfo(s: string | undefined): ClientInfo {
  if (!s) return {};
  const out: ClientInfo = {};
  let rest = s;
  // one or more "Client=X;" prefixes (REST records carry two)
  for (let m = CLIENT_PREFIX.exec(rest); m; m = CLIENT_PREFIX.exec(rest)) {
    const c = m[1]!.trim();
    if (c && !out.client) out.client = c;
    rest = rest.slice(m[0].length);
  }
  rest = rest.replace(ACTION_SUFFIX, '').replace(/[;\s]+$/, '').trim();
  if (/^UserAgent=/i.test(rest)) rest = rest.slice('UserAgent='.length).trim();
  // another "Key=value" pair (no spaces or slashes) is not an agent
  if (rest && !/^[A-Za-z]+=[^\s/]*$/.test(rest)) out.userAgent = rest;
  return out;
}
