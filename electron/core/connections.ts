import { AsyncLocalStorage } from 'node:async_hooks';
import type { StoreConfig } from '../../shared/config';
import { msg } from '../../shared/messages/index';
import type { EngineContext } from './context';
import { errorWith } from './i18n';
import { GelatoClient } from './gelato';
import type { RetryInfo } from './http';
import { InfigoClient } from './infigo';
import { createStatusWriter, type InfigoStatusWriter } from './infigo/status-writer';
import { S3Delivery, SignedUrlDelivery, type FileDelivery } from './files/delivery';
import { GENERATED_SECRETS, generatedSecret } from './secrets/generated';
import { statusWriterConfig } from './status-writer/settings';

// Clients built from the current configuration. Retries anywhere below are
// written to the timeline of the order being worked on, found through
// AsyncLocalStorage, so a shop can see that (and why) a call was repeated.

export const currentOrder = new AsyncLocalStorage<{ orderId: number }>();

export function retryRecorder(ctx: EngineContext, service: string) {
  return (info: RetryInfo) => {
    const orderId = currentOrder.getStore()?.orderId ?? null;
    ctx.repo.addEvent(orderId, 'retry', 'retry', msg('connections.retrying', { service, reason: info.reasonMsg ?? info.reason, ms: Math.round(info.delayMs), attempt: info.attempt + 1 }), {
      service,
      attempt: info.attempt,
      delayMs: Math.round(info.delayMs),
      code: info.code,
      status: info.status ?? null,
    });
  };
}

export interface Connections {
  infigo(store: StoreConfig): InfigoClient;
  statusWriter(store: StoreConfig): InfigoStatusWriter;
  gelato(): GelatoClient;
  delivery(): FileDelivery;
  fileSigningKey(): string;
}

/**
 * `signal` ends every call of these clients at once (a sync cycle passes its stop/deadline
 * signal); every JSON answer is capped at `sync.maxResponseMB` whoever asks.
 */
export function connections(ctx: EngineContext, opts: { signal?: AbortSignal } = {}): Connections {
  const cfg = ctx.config.get();
  const limits = { maxJsonBytes: cfg.sync.maxResponseMB * 1024 * 1024, signal: opts.signal };
  const infigoClients = new Map<string, InfigoClient>();
  const infigo = (store: StoreConfig) => {
    let c = infigoClients.get(store.id);
    if (!c) {
      c = new InfigoClient({ baseUrl: store.infigo.baseUrl, token: ctx.config.resolveSecret(store.infigo.apiToken), onRetry: retryRecorder(ctx, 'Infigo'), ...limits });
      infigoClients.set(store.id, c);
    }
    return c;
  };
  let gelatoClient: GelatoClient | null = null;
  return {
    infigo,
    statusWriter(store) {
      return createStatusWriter(statusWriterConfig(ctx, store), { infigo: infigo(store), onRetry: retryRecorder(ctx, 'Infigo') });
    },
    gelato() {
      if (!cfg.gelato) throw errorWith(msg('check.gelatoNotSetUp'));
      gelatoClient ??= new GelatoClient({ endpoints: cfg.gelato.endpoints, apiKey: ctx.config.resolveSecret(cfg.gelato.apiKey), onRetry: retryRecorder(ctx, 'GelatoConnect'), ...limits });
      return gelatoClient;
    },
    delivery() {
      const d = cfg.files.delivery;
      if (!d) throw errorWith(msg('connections.noDelivery', { config: msg('where.configFile', { setting: 'files.delivery' }) }));
      if (d.kind === 's3') {
        return new S3Delivery(d, { accessKeyId: ctx.config.resolveSecret(d.accessKeyId), secretAccessKey: ctx.config.resolveSecret(d.secretAccessKey) });
      }
      return new SignedUrlDelivery(d.publicBaseUrl, fileSigningKey(ctx), d.ttlMinutes);
    },
    fileSigningKey: () => fileSigningKey(ctx),
  };
}

/** The HMAC key for signed file URLs: made once (at engine start), kept in the secret store. */
export function fileSigningKey(ctx: Pick<EngineContext, 'secrets'>): string {
  return generatedSecret(ctx.secrets, GENERATED_SECRETS.fileSigningKey);
}
