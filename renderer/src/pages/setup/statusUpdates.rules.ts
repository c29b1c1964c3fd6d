import { ConfigSchema } from '../../../../shared/config';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { StepRules } from './types';

// Step 7: how GelatoConnect status changes reach Presslink — postback or polling — and, for
// postbacks, the public address GelatoConnect calls.

export interface StatusSlice {
  mode: 'postback' | 'polling';
  pollMinutes: number;
  publicBaseUrl?: string;
}

export const statusUpdatesRules: StepRules<StatusSlice> = {
  name: 'statusUpdates',
  pick: (cfg) => ({
    mode: cfg.statusUpdates?.mode ?? 'polling',
    pollMinutes: cfg.statusUpdates?.pollMinutes ?? 10,
    publicBaseUrl: cfg.server?.publicBaseUrl || undefined,
  }),
  put: (cfg, s) => ({
    ...cfg,
    statusUpdates: { ...(cfg.statusUpdates ?? {}), mode: s.mode, pollMinutes: s.pollMinutes },
    server: { ...(cfg.server ?? {}), publicBaseUrl: s.publicBaseUrl },
  }),
  validate: (cfg) => {
    const out: FieldErrors = {};
    const su = ConfigSchema.shape.statusUpdates.safeParse(cfg.statusUpdates ?? {});
    if (!su.success) Object.assign(out, issuesToErrors(su.error.issues, cfg.statusUpdates, ['statusUpdates']));
    const server = ConfigSchema.shape.server.safeParse(cfg.server ?? {});
    if (!server.success) Object.assign(out, issuesToErrors(server.error.issues, cfg.server, ['server']));
    // A postback is GelatoConnect calling this machine: without its address none can arrive.
    if ((cfg.statusUpdates?.mode ?? 'polling') === 'postback' && !cfg.server?.publicBaseUrl?.trim()) {
      out['server.publicBaseUrl'] = { key: 'setup.errors.publicBaseUrlForPostbacks' };
    }
    return out;
  },
  owns: (path) => /^statusUpdates(\.|$)/.test(path) || path === 'server.publicBaseUrl',
};

export interface TriggerInfo {
  event: string;
  name: string;
  url: string;
  method: string;
  format: string;
  headers: Record<string, string>;
  template: string;
}

/** One trigger as text, every field labelled, for the "copy the whole trigger" button. */
export function triggerText(tr: TriggerInfo, t: (key: string) => string): string {
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
