import path from 'node:path';
import { msg } from '../../../shared/messages/index';
import { errorWith } from '../i18n';

// Remote data (Infigo job ids, product names) must never decide where a file
// lands outside the files folder. Names are reduced to a safe alphabet and the
// final path is checked to sit inside its root.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

export function safeFileName(raw: string, fallback = 'file'): string {
  let s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    // Control characters, separators and anything a shell or Windows dislikes.
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .replace(/\s+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._-]+|[._ -]+$/g, '');
  if (!s || WINDOWS_RESERVED.test(s.split('.')[0] ?? '')) s = `${fallback}${s ? `_${s}` : ''}`;
  return s.slice(0, 120);
}

/** Joins under `root` and refuses any result outside it. */
export function insideRoot(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const p = path.resolve(base, ...parts);
  if (p !== base && !p.startsWith(base + path.sep)) throw errorWith(msg('files.outsideFolder', { path: parts.join('/') }));
  return p;
}

/** <folder>/<store>/<infigo order>/<job>_<name>.pdf — one folder per order for a prepress hot folder. */
export function printFilePath(root: string, storeId: string, infigoOrderId: number, jobId: string, productName: string | null): string {
  const name = `${safeFileName(jobId, 'job')}_${safeFileName(productName ?? 'print', 'print')}.pdf`;
  return insideRoot(root, safeFileName(storeId, 'store'), String(Math.trunc(infigoOrderId)), name);
}
