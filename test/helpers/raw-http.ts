import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

/**
 * One HTTP request with exactly the headers given — Host and Origin included, which
 * fetch() will not let a caller set — as a browser or an attacker's page would send it.
 */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET', headers: { connection: 'close', ...opts.headers }, setHost: !opts.headers || !Object.keys(opts.headers).some((k) => k.toLowerCase() === 'host') },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          // An event stream never ends by itself: the first chunk is enough.
          if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
