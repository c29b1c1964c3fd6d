// A TCP relay that paces everything it carries from the server to a shared byte rate, like a
// network link of that speed between a shop and Infigo. Both sides of a download comparison
// go through the same relay, so the figure shows the client on a real link rather than on a
// loopback where CPU, not the network, sets the pace.
import net from 'node:net';

export interface LinkProxy {
  port: number;
  close(): Promise<void>;
}

export async function startLinkProxy(target: { host: string; port: number }, bytesPerSecond: number): Promise<LinkProxy> {
  // One clock for all connections: the time at which the link is free again.
  let freeAt = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      const now = performance.now();
      freeAt = Math.max(freeAt, now) + (chunk.length / bytesPerSecond) * 1000;
      client.write(chunk);
      const ahead = freeAt - now;
      // Let a little run ahead (as a NIC queue would), then hold the reads until the link is free.
      if (ahead > 20) {
        upstream.pause();
        setTimeout(() => upstream.resume(), ahead - 20);
      }
    });
    upstream.on('end', () => client.end());
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
