// Everything a collection run needs, built from the config's `tenant:`/`collect:` sections: endpoints of the cloud,
// the credential, MSAL token provider, HTTP transport and the API client — with the clock, transport and token
// provider injectable (tests point it at the fake service; `watch` will reuse one runtime across polls).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultCollectConfig, type CollectConfig, type TenantConfig } from '../config/collect.js';
import type { Config } from '../config/config.js';
import { UsageError } from '../core/errors.js';
import { resolveEndpoints, type CloudEndpoints } from './auth/clouds.js';
import { loadCredential, type AppCredential } from './auth/credentials.js';
import { MsalTokenProvider } from './auth/msal.js';
import { Redactor, redactingLogger, type Logger } from './auth/redact.js';
import type { TokenProvider } from './auth/token.js';
import type { Clock } from './clock.js';
import { ApiClient } from './http/client.js';
import { httpsTransport, type Transport } from './http/transport.js';

export interface CollectorRuntime {
  tenant: TenantConfig;
  collect: CollectConfig;
  endpoints: CloudEndpoints;
  publisherId: string;
  credential?: AppCredential;
  tokens: TokenProvider;
  api: ApiClient;
  redactor: Redactor;
  logger: Logger;
  clock: Clock;
}

export interface RuntimeOptions {
  config: Config;
  /** folder of the config file: relative key/secret/CA paths are resolved against it */
  configDir: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
  transport?: Transport;
  tokens?: TokenProvider;
  /** HTTP back-off base (ms) */
  backoffBaseMs?: number;
  /** User-Agent of every request, e.g. tenantwatch/0.1.0 */
  userAgent?: string;
}

export async function createRuntime(o: RuntimeOptions): Promise<CollectorRuntime> {
  const tenant = o.config.tenant;
  if (!tenant) throw new UsageError('the config has no `tenant:` section: tenant id, client id and a certificate or secret are needed to collect (README, "Collecting from a tenant")');
  const collect = o.config.collect ?? defaultCollectConfig();
  const redactor = new Redactor();
  const logger = redactingLogger(o.logger, redactor);
  const endpoints = resolveEndpoints(tenant.cloud, tenant.endpoints);
  let ca: string | undefined;
  if (tenant.caFile) {
    try {
      ca = await readFile(path.resolve(o.configDir, tenant.caFile), 'utf8');
    } catch (e) {
      throw new UsageError(`tenant.caFile ${tenant.caFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const transport = o.transport ?? httpsTransport({ ca, timeoutMs: collect.requestTimeout });
  let credential: AppCredential | undefined;
  let tokens = o.tokens;
  if (!tokens) {
    credential = await loadCredential(tenant, { env: o.env, baseDir: o.configDir, redactor, now: o.clock.now() });
    if (credential.kind === 'certificate' && credential.notAfter && credential.notAfter - o.clock.now() < 30 * 86_400_000) {
      logger.warn(`the collector certificate expires on ${new Date(credential.notAfter).toISOString().slice(0, 10)}: upload a new one to the app registration`);
    }
    tokens = new MsalTokenProvider({ tenantId: tenant.id, clientId: tenant.clientId, credential, endpoints, transport, redactor, logger, timeoutMs: Math.min(collect.requestTimeout, 60_000), clock: o.clock });
  }
  const api = new ApiClient({
    transport,
    tokens,
    clock: o.clock,
    logger,
    maxAttempts: collect.maxAttempts,
    timeoutMs: collect.requestTimeout,
    ...(o.backoffBaseMs !== undefined ? { backoffBaseMs: o.backoffBaseMs } : {}),
    userAgent: o.userAgent ?? 'tenantwatch',
    origins: { graph: endpoints.graph, management: endpoints.management, exchange: endpoints.exchange },
  });
  return { tenant, collect, endpoints, publisherId: tenant.publisherIdentifier ?? tenant.id, ...(credential ? { credential } : {}), tokens, api, redactor, logger, clock: o.clock };
}
