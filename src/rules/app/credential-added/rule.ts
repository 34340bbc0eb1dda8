// TW-APP-003: a secret, certificate or federated credential is added to an app or its service principal, rated by
// what it looks like: an app's first credential, a credential of a new type, one on the service principal, one added
// by another app. Routine rotations (same type as the credentials the object already had) stay quiet.
import type { Event } from '../../../core/event.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import type { Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { appEntity, appKeyOf, appNameOf, entities, ipEntity, listSome, plural } from '../../lib.js';
import { defineRule } from '../../types.js';
import { CREDENTIAL_WORDS, actorEntity, actorLabel, addedCredential, grantedPermissions, involvesCollector, permissionKind, priorCredentials, raise } from '../oauth.js';

const CREATED = 'created';
const KEY = 'key|';
const PERM = 'perm|';

/**
 * What the rule remembers per app: its registration, the high-privilege application permissions it was granted
 * ("perm|<name>"), and every credential added ("key|<type>|<keyId>").
 */
function valueOf(ev: Event): string | undefined {
  if (ev.action === 'app.create' || ev.action === 'sp.create') return CREATED;
  if (ev.action === 'approle.assign') {
    const strong = grantedPermissions(ev).filter((p) => permissionKind(p) !== undefined);
    return strong.length ? `${PERM}${strong.join(',')}` : undefined;
  }
  const c = addedCredential(ev);
  return `${KEY}${c?.type ?? 'unknown'}|${c?.keyId ?? ev.id}`;
}

const isAdd = (ev: Event): boolean => ev.action === 'app.credential.add' || ev.action === 'sp.credential.add';

export const credentialAdded = defineRule({
  id: 'TW-APP-003',
  title: 'Credential added to an application or service principal',
  severity: 'medium',
  tactics: ['persistence', 'privilege-escalation'],
  techniques: ['T1098', 'T1098.001'],
  description:
    'A client secret, certificate or federated identity credential is added to an application object or a service ' +
    'principal. Rated up for the first credential an existing app gets, for a credential on the service principal ' +
    '(not visible in the app registration blade), for a type the object never had, for an app holding a ' +
    'high-privilege application permission (granted in the history window), and when another app adds it; a ' +
    'same-type addition to an object that already has credentials (rotation) is dropped unless includeRotations is set.',
  whyItMatters:
    'A credential on an app is a password that skips MFA and survives the reset of the admin who added it: the 2022 ' +
    'campaign added its own secret to the app it had registered, and other intrusions added secrets to existing, ' +
    'already-privileged apps and service principals. The service principal variant is the quiet one: it does not show ' +
    'where administrators usually look.',
  falsePositives: [
    'An administrator registering a new app and creating its first secret: rated low (the app was registered in the ' +
      'history window). TW-APP-001 and TW-APP-002 raise the alarm when the same app also got permissions or came from a risky session.',
    'Secret rotation by an owner or pipeline: a credential of the same type as the existing ones is dropped; a pipeline ' +
      'that swaps certificates for secrets (or adds credentials to other apps) still alerts: review once and set ' +
      'includeRotations: false / exclude the pipeline app in allowlists.collectorAppId only if it is tenantwatch itself.',
    'Workload identity federation set up for CI (GitHub Actions, Azure DevOps): a federated credential on a new app; ' +
      'check the issuer and subject in the record.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1098/001/',
    'https://github.com/Azure/Azure-Sentinel/blob/master/Solutions/Microsoft%20Entra%20ID/Analytic%20Rules/FirstAppOrServicePrincipalCredential.yaml',
  ],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    history: { type: 'duration', default: 90 * DAY, min: DAY, max: 400 * DAY, help: 'how long an app registration or a credential is remembered per app' },
    includeRotations: { type: 'boolean', default: false, help: 'also alert (low) on same-type credentials added to objects that already had credentials' },
  },
  suppressMs: DAY,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['app.create', 'sp.create', 'approle.assign', 'app.credential.add', 'sp.credential.add'],
        sources: ['entra.audit', 'ual'],
        where: (ev) => ev.outcome === 'success',
      },
      key: (ev, ctx) => {
        const app = appKeyOf(ev);
        return app && !involvesCollector(ev, ctx, app) ? app : undefined;
      },
      value: valueOf,
      historyMs: t.history,
      warmupMs: 0,
      alertIf: isAdd,
      alert: (m) => {
        const ev = m.event;
        const added = addedCredential(ev) ?? { type: 'unknown' };
        const fromRecord = priorCredentials(ev);
        const fromHistory = m.known.filter((v) => v.startsWith(KEY)).map((v) => v.split('|')[1]!);
        const registered = m.known.includes(CREATED);
        const prior = Math.max(fromRecord?.length ?? 0, fromHistory.length);
        const priorTypes = new Set([...(fromRecord ?? []).map((c) => c.type), ...fromHistory]);
        const appActor = ev.actor.kind === 'app';
        const selfActor = appActor && ev.actor.appId === m.key;
        const onSp = ev.action === 'sp.credential.add';
        const first = prior === 0;
        const sameType = priorTypes.has(added.type) || added.type === 'unknown' || priorTypes.has('unknown');
        const rotation = !first && sameType && (!appActor || selfActor);
        if (rotation && !t.includeRotations) return undefined;

        const why: string[] = [];
        let sev: Severity = 'low';
        if (rotation) why.push(`same type as the ${plural(prior, 'credential')} it already had (rotation)`);
        else if (first && !registered) {
          sev = raise(sev);
          why.push('its first credential, on an object not registered in the history window');
        } else if (first) why.push('its first credential, right after the app was registered');
        else if (!sameType) {
          sev = raise(sev);
          why.push(`a ${added.type} where it only had ${listSome([...priorTypes])} credentials`);
        } else why.push(`one more ${added.type} beside the ${plural(prior, 'credential')} it already had`);
        if (onSp && !rotation) {
          sev = raise(sev);
          why.push('added to the service principal, where the app registration blade does not show it');
        }
        const held = [...new Set(m.known.filter((v) => v.startsWith(PERM)).flatMap((v) => v.slice(PERM.length).split(',')))];
        if (held.length && !rotation) {
          sev = raise(sev);
          why.push(`the app holds ${listSome(held)}, which the new credential can now use`);
        }
        if (appActor && !selfActor) {
          sev = raise(sev, 2);
          why.push('added by another app');
        } else if (appActor && !rotation) {
          sev = raise(sev);
          why.push('added by the app to itself');
        }

        const name = appNameOf(ev);
        const obj = onSp ? 'service principal' : 'application';
        const priorText = fromRecord
          ? `The record lists ${plural(fromRecord.length, 'credential')} before the change`
          : 'The record does not list earlier credentials';
        const explanation =
          `A ${CREDENTIAL_WORDS[added.type] ?? `${added.type} credential`}${added.keyId ? ` (key ${added.keyId})` : ''} was added to ${obj} ` +
          `${name ? `"${name}" ` : ''}(${m.key}) by ${actorLabel(ev)}. ${priorText}; ${plural(fromHistory.length, 'other credential')} ` +
          `added to it in the last ${humanDuration(m.historyMs)}${registered ? ', and it was registered in that time' : ''}. ` +
          `Rated ${sev}: ${listSome(why)}.`;
        return {
          title: `${CREDENTIAL_WORDS[added.type] ?? 'Credential'} added to ${obj} ${name ?? m.key}${appActor && !selfActor ? ` by app ${ev.actor.appName ?? ev.actor.appId}` : ''}`,
          severity: sev,
          entities: entities(
            appEntity(m.key, { name, spId: ev.targets.find((x) => x.type === 'servicePrincipal')?.id }),
            actorEntity(ev),
            ipEntity(ev.actor.ip),
          ),
          explanation,
          facts: {
            credentialType: added.type,
            ...(added.keyId ? { keyId: added.keyId } : {}),
            target: obj,
            firstCredential: first,
            priorCredentials: prior,
            registeredInHistory: registered,
            permissionsHeld: held,
            actorKind: ev.actor.kind,
            reasons: why,
          },
        };
      },
    }),
});
