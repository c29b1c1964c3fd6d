import { startSandbox } from './index';
import { parseFaultSpec } from './faults';
import { msg } from '../../shared/messages/index';
import { errorWith, renderMsg, type EngineLanguage } from '../core/i18n';

/** `presslink sandbox`: start both simulated services and print what to paste into Presslink. */
export async function runSandboxCommand(o: { port: number; orders: number; stores: number; seed: number; faults?: string; json?: boolean; lang?: EngineLanguage }): Promise<void> {
  const t = (key: Parameters<typeof msg>[0], params?: Parameters<typeof msg>[1]) => renderMsg(msg(key, params), o.lang ?? 'en');
  const faults = o.faults ? parseFaultSpec(o.faults) : undefined;
  let sb: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sb = await startSandbox({ infigoPort: o.port, gelatoPort: o.port === 0 ? 0 : o.port + 1, ordersPerStore: o.orders, storeCount: o.stores, seed: o.seed, faults });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const next = o.port + 2;
      throw errorWith(msg('cli.sandbox.portsBusy', { port: o.port, next: o.port + 1, suggest: next }));
    }
    throw e;
  }
  const conn = sb.connection();
  if (o.json) {
    process.stdout.write(JSON.stringify(conn, null, 2) + '\n');
  } else {
    // Labels padded to one column, as a person scans them.
    const [baseUrl, token, apiKey] = [t('cli.sandbox.baseUrl'), t('cli.sandbox.token'), t('cli.sandbox.apiKey')];
    const width = Math.max(baseUrl.length, token.length, apiKey.length) + 1;
    const lines = [
      t('cli.sandbox.running'),
      '',
      ...conn.config.stores.flatMap((s) => [
        t('cli.sandbox.store', { name: s.name }),
        `  ${baseUrl.padEnd(width)}${s.infigo.baseUrl}`,
        `  ${token.padEnd(width)}${s.infigo.apiToken}`,
        `  ${t('cli.sandbox.customer')} ${s.gelatoCustomerReferenceId}`,
      ]),
      '',
      'GelatoConnect',
      `  ${apiKey.padEnd(width)}${conn.config.gelato.apiKey}`,
      ...Object.entries(conn.config.gelato.endpoints).map(([k, v]) => `  ${k.padEnd(14)} ${v}`),
      '',
      t('cli.sandbox.ready'),
      JSON.stringify(conn.config, null, 2),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  const stop = async () => {
    await sb.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await new Promise(() => {});
}
