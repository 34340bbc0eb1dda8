// Test harness: a fixture tenant served by the fake Microsoft service over TLS, a virtual clock, and a collector
// runtime configured against it exactly as a user would configure one (tenant section with endpoints, a
// certificate credential, the test CA as tenant.caFile) — so tests exercise the real MSAL, transport and client.
import path from 'node:path';
import { defaultCollectConfig, type CollectConfig, type TenantConfig } from '../../config/collect.js';
import { defaultConfig, type Config } from '../../config/config.js';
import { silentLogger, type Logger } from '../auth/redact.js';
import { VirtualClock } from '../clock.js';
import { createRuntime, type CollectorRuntime } from '../runtime.js';
import type { FaultRule } from './faults.js';
import { makeTestPki, type TestPki } from './pki.js';
import { startFakeMicrosoft, type FakeMicrosoft, type FakeOptions } from './server.js';
import { fixtureTenant, type FakeTenant, type FixtureOptions } from './tenant.js';

export const TEST_CLIENT_ID = '5b1e0a11-8888-4888-8888-0000000000e3';
export const TEST_SECRET = 'Tw~fake.Secret_value-4711-do-not-use';

/** Every role the collector manifest asks for (docs/permissions.md). */
export const ALL_ROLES = {
  graph: ['AuditLog.Read.All', 'Directory.Read.All', 'Policy.Read.All', 'RoleManagement.Read.Directory', 'Application.Read.All', 'IdentityRiskEvent.Read.All', 'SecurityAlert.Read.All', 'AuditLogsQuery.Read.All', 'Reports.Read.All', 'ExchangeMessageTrace.Read.All'],
  management: ['ActivityFeed.Read'],
  exchange: ['Exchange.ManageAsApp'],
};

export interface Harness {
  pki: TestPki;
  tenant: FakeTenant;
  clock: VirtualClock;
  fake: FakeMicrosoft;
  config: Config;
  rt: CollectorRuntime;
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<FakeOptions, 'tenant' | 'clock' | 'tls' | 'app'>> {
  fixture?: FixtureOptions;
  /** now = the tenant's period end + this (default 2 h) */
  nowAfterEnd?: number;
  roles?: Partial<typeof ALL_ROLES>;
  credential?: 'certificate' | 'secret';
  collect?: Partial<CollectConfig>;
  faults?: FaultRule[];
  env?: NodeJS.ProcessEnv;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const pki = makeTestPki();
  const tenant = await fixtureTenant(o.fixture ?? {});
  const clock = new VirtualClock(tenant.period.end + (o.nowAfterEnd ?? 2 * 3_600_000));
  const { fixture: _f, nowAfterEnd: _n, roles, credential, collect, env, ...fakeOpts } = o;
  const fake = await startFakeMicrosoft({
    graphMaxTop: 100,
    contentPageSize: 10,
    ...fakeOpts,
    tenant,
    clock,
    tls: { keyPem: pki.serverKeyPem, certPem: pki.serverCertPem },
    app: { clientId: TEST_CLIENT_ID, secret: TEST_SECRET, certPem: pki.appCertPem, roles: { ...ALL_ROLES, ...roles } },
  });
  const tenantCfg: TenantConfig = {
    id: tenant.id,
    clientId: TEST_CLIENT_ID,
    cloud: 'global',
    endpoints: fake.endpoints,
    ...(credential === 'secret' ? { secret: { env: 'TW_TEST_SECRET' } } : { certificate: { keyFile: path.basename(pki.appKeyFile), certFile: path.basename(pki.appCertFile), sendX5c: false } }),
    caFile: path.basename(pki.caFile),
  };
  const config: Config = { ...defaultConfig(), tenant: tenantCfg, collect: { ...defaultCollectConfig(), pageSize: 100, requestTimeout: 1500, ...collect } };
  const logs: string[] = [];
  const logger: Logger = { debug: (m) => logs.push(`debug: ${m}`), info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`) };
  const rt = await createRuntime({ config, configDir: pki.dir, env: { TW_TEST_SECRET: TEST_SECRET, ...env }, clock, logger });
  return { pki, tenant, clock, fake, config, rt, logs, close: () => fake.close() };
}

export { silentLogger };
