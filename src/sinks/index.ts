// The sink registry: one folder per sink, one line per type here. createSinks reads each sink's secrets (URLs,
// HMAC keys) from the environment or files, registers them with the Redactor, and checks the URLs — a URL that is
// not https is refused without being shown.
import path from 'node:path';
import type { SinkConfig } from '../config/watch.js';
import { CredentialError } from '../sources/auth/credentials.js';
import type { Clock } from '../sources/clock.js';
import { FileSink } from './file/index.js';
import { checkWebhookUrl } from './http.js';
import { readSecret, secretSource, type SecretContext } from './secrets.js';
import { SlackSink } from './slack/index.js';
import { SyslogSink } from './syslog/index.js';
import { TeamsSink } from './teams/index.js';
import type { Sink } from './types.js';
import { WebhookSink } from './webhook/index.js';

export interface SinkContext extends SecretContext {
  clock: Clock;
}

export async function createSinks(configs: readonly SinkConfig[], ctx: SinkContext): Promise<Sink[]> {
  const out: Sink[] = [];
  for (const [i, c] of configs.entries()) out.push(await createSink(c, `sinks[${i}] (${c.name})`, ctx));
  return out;
}

async function createSink(c: SinkConfig, where: string, ctx: SinkContext): Promise<Sink> {
  const url = async (ref: Parameters<typeof readSecret>[0]): Promise<URL> => {
    const v = await readSecret(ref, `${where} url`, ctx);
    const u = checkWebhookUrl(v);
    if (typeof u === 'string') throw new CredentialError(`${where}: the URL from ${secretSource(ref)} ${u} (not shown: it is a secret)`);
    return u;
  };
  switch (c.type) {
    case 'teams':
      return new TeamsSink(c, await url(c.url), ctx.clock);
    case 'slack':
      return new SlackSink(c, await url(c.url), ctx.clock);
    case 'webhook':
      return new WebhookSink(c, await url(c.url), c.secret ? await readSecret(c.secret, `${where} secret`, ctx) : undefined, ctx.clock);
    case 'syslog':
      return new SyslogSink(c, ctx.baseDir);
    case 'file':
      return new FileSink(c, path.resolve(ctx.baseDir, c.path));
  }
}

export type { Sink } from './types.js';
