import { ConfigSchema, FileDelivery, StatusWriterConfig } from '../../../../shared/config';
import type { PostbackTrigger } from '../../../../shared/contract';
import type { Cfg } from '../../api/config';
import { addressNeededFor } from '../../setup/address';
import type { ConnectionSpec } from '../../setup/connection';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { StepRules } from './types';

// Step 7: how GelatoConnect and Infigo reach this Presslink and how status travels both ways.
// - The public address (server.publicBaseUrl) and how GelatoConnect fetches print files
//   (files.delivery: signed links served at that address, or an S3-compatible bucket, which
//   needs no inbound connection). Without a file delivery no order can be submitted, so the
//   step asks for one; the chosen one is tested with setup.checkDelivery before it counts.
// - How status and tracking reach Infigo, per store (stores[].infigo.statusWriter): the
//   generated status MegaScript, a REST route Infigo support named, or not chosen yet.
// - How GelatoConnect's status changes reach Presslink: postbacks or polling.

export type WriterDraft = NonNullable<NonNullable<Cfg['stores']>[number]['infigo']['statusWriter']>;
export type DeliveryDraft = NonNullable<NonNullable<Cfg['files']>['delivery']>;

export interface StatusSlice {
  mode: 'postback' | 'polling';
  pollMinutes: number;
  publicBaseUrl?: string;
  /** files.delivery; a signed-URL delivery's address is the public address. */
  delivery: DeliveryDraft;
  /** Each store's status writer, by store index. */
  writers: WriterDraft[];
}

/** The delivery as the step edits it: signed links unless a bucket is chosen. */
export function deliveryOf(cfg: Cfg): DeliveryDraft {
  const d = cfg.files?.delivery;
  if (d) return d;
  return { kind: 'signed-url', publicBaseUrl: cfg.server?.publicBaseUrl ?? '' };
}

/** The public address: the one set for the server, else the one the signed links use. */
export function publicAddressOf(cfg: Cfg): string | undefined {
  const d = cfg.files?.delivery;
  return cfg.server?.publicBaseUrl || (d?.kind === 'signed-url' ? d.publicBaseUrl : undefined) || undefined;
}

export function emptyS3(): DeliveryDraft {
  return { kind: 's3', endpoint: undefined, region: 'us-east-1', bucket: '', prefix: 'presslink/', accessKeyId: '', secretAccessKey: '', forcePathStyle: false };
}

/** A delivery without the fields left empty that are optional (an endpoint cleared means AWS itself). */
function compactDelivery(d: DeliveryDraft, address: string | undefined): DeliveryDraft {
  if (d.kind === 'signed-url') return { ...d, publicBaseUrl: address ?? '' };
  const out = { ...d };
  if (!out.endpoint) delete out.endpoint;
  return out;
}

export const statusUpdatesRules: StepRules<StatusSlice> = {
  name: 'statusUpdates',
  pick: (cfg) => {
    const address = publicAddressOf(cfg);
    return {
      mode: cfg.statusUpdates?.mode ?? 'polling',
      pollMinutes: cfg.statusUpdates?.pollMinutes ?? 10,
      publicBaseUrl: address,
      delivery: compactDelivery(deliveryOf(cfg), address),
      writers: (cfg.stores ?? []).map((s) => s.infigo?.statusWriter ?? { kind: 'none' }),
    };
  },
  put: (cfg, s) => ({
    ...cfg,
    statusUpdates: { ...(cfg.statusUpdates ?? {}), mode: s.mode, pollMinutes: s.pollMinutes },
    server: { ...(cfg.server ?? {}), publicBaseUrl: s.publicBaseUrl },
    files: { ...(cfg.files ?? {}), delivery: compactDelivery(s.delivery, s.publicBaseUrl) },
    stores: (cfg.stores ?? []).map((st, i) => (i < s.writers.length ? { ...st, infigo: { ...st.infigo, statusWriter: s.writers[i] } } : st)),
  }),
  validate: (cfg) => {
    const out: FieldErrors = {};
    const su = ConfigSchema.shape.statusUpdates.safeParse(cfg.statusUpdates ?? {});
    if (!su.success) Object.assign(out, issuesToErrors(su.error.issues, cfg.statusUpdates, ['statusUpdates']));
    const server = ConfigSchema.shape.server.safeParse(cfg.server ?? {});
    if (!server.success) Object.assign(out, issuesToErrors(server.error.issues, cfg.server, ['server']));
    const address = publicAddressOf(cfg)?.trim();
    const delivery = deliveryOf(cfg);
    // Print files need a way to GelatoConnect: signed links at the public address, or a bucket.
    if (delivery.kind === 'signed-url' && !address && !out['server.publicBaseUrl']) {
      out['server.publicBaseUrl'] = { key: 'setup.errors.publicBaseUrlForFiles' };
    }
    if (delivery.kind === 's3') {
      const d = FileDelivery.safeParse(compactDelivery(delivery, address));
      if (!d.success) Object.assign(out, issuesToErrors(d.error.issues, delivery, ['files', 'delivery']));
    }
    // A postback is GelatoConnect calling this machine: without its address none can arrive.
    if ((cfg.statusUpdates?.mode ?? 'polling') === 'postback' && !address && !out['server.publicBaseUrl']) {
      out['server.publicBaseUrl'] = { key: 'setup.errors.publicBaseUrlForPostbacks' };
    }
    (cfg.stores ?? []).forEach((st, i) => {
      const w = st.infigo?.statusWriter;
      if (!w) return;
      const r = StatusWriterConfig.safeParse(w);
      if (!r.success) Object.assign(out, issuesToErrors(r.error.issues, w, ['stores', i, 'infigo', 'statusWriter']));
    });
    return out;
  },
  owns: (path) => /^statusUpdates(\.|$)/.test(path) || path === 'server.publicBaseUrl' || /^files\.delivery(\.|$)/.test(path) || /^stores\[\d+\]\.infigo\.statusWriter/.test(path),
  connections: (cfg) => {
    const out: ConnectionSpec[] = [];
    const delivery = deliveryOf(cfg);
    const address = publicAddressOf(cfg)?.trim();
    if (delivery.kind === 's3') out.push({ id: 'bucket', label: delivery.bucket || 'S3', call: 'setup.checkDelivery', input: { s3: compactDelivery(delivery, address) } });
    if (address && addressNeededFor({ ...cfg, files: { ...(cfg.files ?? {}), delivery } }).length) {
      out.push({ id: 'address', label: address, call: 'setup.checkDelivery', input: { publicBaseUrl: address } });
    }
    return out;
  },
};

/** One trigger as text, every field labelled, for the "copy the whole trigger" button. */
export function triggerText(tr: Pick<PostbackTrigger, 'event' | 'name' | 'url' | 'method' | 'format' | 'headers' | 'template'>, t: (key: string) => string): string {
  const headers = Object.entries(tr.headers).map(([k, v]) => `${k}: ${v}`);
  return [
    `${t('setup.status.triggerName')}: ${tr.name}`,
    `${t('setup.status.triggerEvent')}: ${tr.event}`,
    `${t('setup.status.method')}: ${tr.method}`,
    `URL: ${tr.url}`,
    `${t('setup.status.format')}: ${tr.format}`,
    ...(headers.length ? [`${t('setup.status.headers')}:`, ...headers] : []),
    `${t('setup.status.template')}:`,
    tr.template,
  ].join('\n');
}

/** A REST writer's body field names, each with the name Presslink sends when it is left empty. */
export const REST_FIELDS = [
  ['orderStatus', 'OrderStatus'],
  ['shippingStatus', 'ShippingStatus'],
  ['paymentStatus', 'PaymentStatus'],
  ['trackingNumber', 'TrackingNumber'],
  ['trackingUrl', 'TrackingUrl'],
  ['carrier', 'Carrier'],
  ['note', 'Note'],
  ['lineStatuses', 'LineStatuses'],
  ['lineJobId', 'JobId'],
  ['lineStatus', 'Status'],
] as const;
