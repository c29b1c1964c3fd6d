import { startSandbox } from './index';
import { parseFaultSpec } from './faults';

/** `presslink sandbox`: start both simulated services and print what to paste into Presslink. */
export async function runSandboxCommand(o: { port: number; orders: number; stores: number; seed: number; faults?: string; json?: boolean }): Promise<void> {
  const faults = o.faults ? parseFaultSpec(o.faults) : undefined;
  let sb: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sb = await startSandbox({ infigoPort: o.port, gelatoPort: o.port === 0 ? 0 : o.port + 1, ordersPerStore: o.orders, storeCount: o.stores, seed: o.seed, faults });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const next = o.port + 2;
      throw new Error(`Port ${o.port} or ${o.port + 1} is already in use (the sandbox needs two: Infigo on --port, GelatoConnect on the next). Is a sandbox already running? Pick others with --port, e.g. --port ${next}, or --port 0 for any free ones.`);
    }
    throw e;
  }
  const conn = sb.connection();
  if (o.json) {
    process.stdout.write(JSON.stringify(conn, null, 2) + '\n');
  } else {
    const lines = [
      'Presslink sandbox is running (simulated Infigo storefronts and a GelatoConnect tenant). Ctrl+C stops it.',
      '',
      ...conn.config.stores.flatMap((s) => [
        `Infigo store "${s.name}"`,
        `  base URL:  ${s.infigo.baseUrl}`,
        `  API token: ${s.infigo.apiToken}`,
        `  GelatoConnect customer: ${s.gelatoCustomerReferenceId}`,
      ]),
      '',
      'GelatoConnect',
      `  API key:   ${conn.config.gelato.apiKey}`,
      ...Object.entries(conn.config.gelato.endpoints).map(([k, v]) => `  ${k.padEnd(14)} ${v}`),
      '',
      `A ready configuration: save this as JSON and run "presslink config import FILE":`,
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
