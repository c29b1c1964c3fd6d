import { msg } from '../../../shared/messages/index';
import { errorWith } from '../i18n';
/**
 * Infigo's API lives under `/services/api` (reference §1.1 [documented]); shops usually paste the
 * storefront address, so append it when missing, as the EWAH hook does [third-party].
 */
export function infigoApiBase(baseUrl: string): string {
  const u = new URL(baseUrl.trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw errorWith(msg('infigo.baseUrlScheme'));
  u.search = '';
  u.hash = '';
  let path = u.pathname.replace(/\/+$/, '');
  if (!/\/services\/api$/i.test(path)) path = `${path}/services/api`;
  u.pathname = path;
  return u.toString().replace(/\/+$/, '');
}

/** Job ids are digits with an optional type letter (`s67890`); anything else could be used to
 *  escape the download path, so it is refused. */
export function assertJobId(jobId: string | number): string {
  const s = String(jobId).trim();
  if (!/^[A-Za-z]{0,3}\d{1,18}$/.test(s)) throw errorWith(msg('infigo.badJobId', { id: s.slice(0, 40) }));
  return s;
}
