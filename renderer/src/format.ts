import i18next from 'i18next';

// Every date, number and amount goes through Intl with the UI's current language,
// so switching language also switches formats.
const locale = () => (i18next.language === 'it' ? 'it-IT' : 'en-GB');

// Building an Intl formatter costs far more than using one (tens of µs; the order log formats
// two dates per row on every filter change), so each (locale, options) pair is built once.
// Options are keyed by their JSON: callers pass literals with a fixed key order.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

function cached<F, O>(cache: Map<string, F>, make: (locale: string, options: O) => F, options: O): F {
  const loc = locale();
  const key = `${loc} ${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = make(loc, options);
    cache.set(key, f);
  }
  return f;
}

const dateFormat = (o: Intl.DateTimeFormatOptions) => cached(dateFormats, (l, opts) => new Intl.DateTimeFormat(l, opts), o);
const numberFormat = (o: Intl.NumberFormatOptions) => cached(numberFormats, (l, opts) => new Intl.NumberFormat(l, opts), o);
const relativeFormat = (o: Intl.RelativeTimeFormatOptions) => cached(relativeFormats, (l, opts) => new Intl.RelativeTimeFormat(l, opts), o);

const listFormat = (o: Intl.ListFormatOptions) => cached(listFormats, (l, opts) => new Intl.ListFormat(l, opts), o);

/** "a, b and c" / "a, b e c": a list in running text, in the UI's language. */
export function fmtList(items: readonly string[]): string {
  return listFormat({ style: 'long', type: 'conjunction' }).format(items);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtDay(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat({ day: 'numeric', month: 'short' }).format(d);
}

export function fmtNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return numberFormat({ maximumFractionDigits: digits }).format(n);
}

export function fmtCurrency(n: number, currency: string): string {
  return numberFormat({ style: 'currency', currency }).format(n);
}

export function fmtRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diffS = Math.round((t - now) / 1000);
  const abs = Math.abs(diffS);
  const rtf = relativeFormat({ numeric: 'auto' });
  if (abs < 60) return rtf.format(diffS, 'second');
  if (abs < 3600) return rtf.format(Math.round(diffS / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diffS / 3600), 'hour');
  return rtf.format(Math.round(diffS / 86400), 'day');
}

/** Age as a compact unit string ("5 min", "3 h", "2 days") for dense tables. */
export function fmtAge(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  const unit = (value: number, u: 'minute' | 'hour' | 'day') =>
    numberFormat({ style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(value);
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86400), 'day');
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return numberFormat({ style: 'unit', unit: 'millisecond', unitDisplay: 'short' }).format(Math.round(ms));
  return numberFormat({ style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 }).format(ms / 1000);
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return numberFormat({ style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 }).format(v);
}
