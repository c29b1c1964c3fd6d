// The baseline for the sync benchmark: a minimal, stateless script that makes the same
// HTTP requests and file transfers as one engine sync cycle, with the same concurrency
// (8 orders at a time, 4 downloads at a time): list, details, lines, stream each print
// file to disk, serve the files, submit. No database, no verification, no retries.
//   node --import tsx test/bench/sync-baseline.ts <json args>
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface Args {
  infigoBase: string;
  token: string;
  submitUrl: string;
  apiKey: string;
  customer: string;
  outDir: string;
  port: number;
  productUids: Record<string, string>;
  orderConcurrency: number;
  downloadConcurrency: number;
}

function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]!) as Args;
  fs.mkdirSync(a.outDir, { recursive: true });
  const server = http.createServer((req, res) => {
    const file = path.join(a.outDir, path.basename(decodeURIComponent(req.url ?? '').split('?')[0]!));
    fs.stat(file, (err, st) => {
      if (err) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': st.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((r) => server.listen(a.port, '127.0.0.1', r));
  const auth = { authorization: `Basic ${a.token}` };
  const api = `${a.infigoBase}/services/api`;
  const getJson = async (url: string) => {
    const r = await fetch(url, { headers: auth });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.json() as Promise<Record<string, unknown>>;
  };
  const t0 = performance.now();
  process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
  const ids = (await getJson(`${api}/Order/List`)) as unknown as number[];
  const orders = limiter(a.orderConcurrency);
  const downloads = limiter(a.downloadConcurrency);
  let submitted = 0;
  let bytes = 0;
  await Promise.all(
    ids.map((id) =>
      orders(async () => {
        const d = await getJson(`${api}/order/detail/${id}`);
        const lines = await Promise.all((d.OrderLineItems as number[]).map((j) => getJson(`${api}/orderlineitem/get?id=${j}`)));
        const items = await Promise.all(
          lines.map((l) =>
            downloads(async () => {
              const jobId = String(l.Id);
              const name = `${id}-${jobId}.pdf`;
              const r = await fetch(`${api}/orderlineitem/download/${jobId}`, { headers: auth });
              if (!r.ok || !r.body) throw new Error(`download ${jobId}: ${r.status}`);
              await pipeline(Readable.fromWeb(r.body as import('node:stream/web').ReadableStream), fs.createWriteStream(path.join(a.outDir, name)));
              bytes += fs.statSync(path.join(a.outDir, name)).size;
              return { itemReferenceId: jobId, productUid: a.productUids[String(l.Sku)], quantity: Number(l.Quantity), files: [{ type: 'default', url: `http://127.0.0.1:${a.port}/${name}` }] };
            }),
          ),
        );
        const s = d.ShippingAddress as Record<string, string>;
        const payload = {
          orderType: 'order',
          orderReferenceId: `BASE-${id}`,
          customerReferenceId: a.customer,
          currency: 'GBP',
          preventDuplicate: true,
          shipmentMethodUid: 'normal',
          shippingAddress: { firstName: s.FirstName, lastName: s.LastName, companyName: s.CompanyName, addressLine1: s.AddressLine1, city: s.Town, postCode: s.ZipPostalCode, country: s.Country, email: s.Email },
          items,
        };
        const r = await fetch(a.submitUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': a.apiKey, 'customer-reference-id': a.customer }, body: JSON.stringify(payload) });
        if (!r.ok) throw new Error(`submit ${id}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
        submitted++;
      }),
    ),
  );
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(`${JSON.stringify({ event: 'idle', ms: performance.now() - t0, submitted, bytes, vmHwmKb: m ? Number(m[1]) : null })}\n`);
  // Keep serving files until GelatoConnect has fetched them (the parent sends SIGTERM).
  await new Promise((r) => process.once('SIGTERM', r));
  server.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`sync-baseline failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
