import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { OrdersRepo } from '../db/orders-repo';
import { insideRoot } from './safe-names';
import { verifyFileSignature } from './delivery';
import { msg, type Msg } from '../../../shared/messages/index';
import { textOf } from '../i18n';

/** A refused file link: the reason in English and as a message, for whoever reads GelatoConnect's fetch error. */
const said = (m: Msg) => ({ error: textOf(m), msg: m });

/**
 * GET /files/:id/:name?exp&sig — the signed, expiring print-file URLs that
 * GelatoConnect fetches. Only files Presslink downloaded and verified are served,
 * only from inside the files folder, with byte ranges for resumable fetches.
 */
export function fileRoute(deps: { repo: () => OrdersRepo; key: () => string; filesRoot: () => string }) {
  return (app: FastifyInstance) => {
    app.get<{ Params: { id: string; name: string }; Querystring: { exp?: string | string[]; sig?: string | string[] } }>('/files/:id/:name', async (req, reply) => {
      // A parameter given twice arrives as an array; a link Presslink made never has one.
      if (Array.isArray(req.query.exp) || Array.isArray(req.query.sig)) return reply.code(400).send(said(msg('files.link.twice')));
      const id = Number(req.params.id);
      const exp = Number(req.query.exp);
      const sig = req.query.sig ?? '';
      if (!Number.isInteger(id) || !Number.isInteger(exp) || !sig) return reply.code(403).send(said(msg('files.link.incomplete')));
      const verdict = verifyFileSignature(deps.key(), id, req.params.name, exp, sig);
      if (verdict === 'bad') return reply.code(403).send(said(msg('files.link.invalid')));
      if (verdict === 'expired') return reply.code(410).send(said(msg('files.link.expired')));
      const f = deps.repo().fileById(id);
      if (!f || f.state !== 'downloaded' || f.name !== req.params.name) return reply.code(404).send(said(msg('files.link.noFile')));
      let filePath: string;
      try {
        filePath = insideRoot(deps.filesRoot(), f.path);
      } catch {
        return reply.code(404).send(said(msg('files.link.noFile')));
      }
      let size: number;
      try {
        size = fs.statSync(filePath).size;
      } catch {
        return reply.code(404).send(said(msg('files.link.gone')));
      }
      reply.header('accept-ranges', 'bytes').header('content-type', 'application/pdf').header('cache-control', 'private, no-store');
      const range = typeof req.headers.range === 'string' ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range.trim()) : null;
      if (range && (range[1] || range[2])) {
        let start = range[1] ? Number(range[1]) : size - Number(range[2]);
        let end = range[1] && range[2] ? Number(range[2]) : size - 1;
        start = Math.max(0, start);
        end = Math.min(end, size - 1);
        if (start > end || start >= size) return reply.code(416).header('content-range', `bytes */${size}`).send();
        reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`).header('content-length', end - start + 1);
        return reply.send(fs.createReadStream(filePath, { start, end }));
      }
      reply.header('content-length', size);
      return reply.send(fs.createReadStream(filePath));
    });
  };
}
