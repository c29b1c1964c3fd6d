// Redaction of secrets from anything that may end up in an error, a log line or a diagnostics
// bundle. Two layers: exact secret values the caller knows about (tokens, API keys, and their
// common encodings), and generic patterns for credentials we were not told about.

const MASK = '[redacted]';

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-presslink-token',
  'cookie',
  'set-cookie',
  'x-auth-token',
]);

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

/** Every form in which a secret could appear on the wire or in text. */
function secretVariants(secret: string): string[] {
  const out = new Set<string>([secret]);
  out.add(encodeURIComponent(secret));
  try {
    out.add(Buffer.from(secret, 'utf8').toString('base64'));
    out.add(Buffer.from(`${secret}:`, 'utf8').toString('base64'));
  } catch {
    // Buffer unavailable: plain forms suffice.
  }
  // key:secret API keys: each half is a secret on its own.
  if (secret.includes(':')) for (const part of secret.split(':')) if (part.length >= 6) out.add(part);
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

const GENERIC_PATTERNS: Array<[RegExp, string]> = [
  // "Authorization: Basic xyz", "X-API-KEY: k:s" in free text
  [/\b(authorization|proxy-authorization|x-api-key|x-presslink-token|x-auth-token)(["']?\s*[:=]\s*["']?)(?:(?:basic|bearer)\s+)?[^\s"',;}]+/gi, `$1$2${MASK}`],
  // Basic/Bearer credentials anywhere
  [/\b(basic|bearer)\s+(?=[A-Za-z0-9+/=._~-]*[0-9+/=])[A-Za-z0-9+/=._~-]{8,}/gi, `$1 ${MASK}`],
  // query parameters and JSON/form fields named like credentials
  [/([?&;](?:token|api[_-]?key|apikey|key|secret|signature|sig|password|access[_-]?token|x-amz-signature|x-amz-credential)=)[^&#\s"']+/gi, `$1${MASK}`],
  [/("(?:token|apiToken|api_token|apiKey|api_key|secret|password|accessToken|access_token|megascriptToken)"\s*:\s*")[^"]*"/gi, `$1${MASK}"`],
  // Infigo's token check carries the token in the path
  [/(\/services\/api\/auth\/)[^/?#\s"']+/gi, `$1${MASK}`],
  // user:password@ in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]+@/gi, `$1${MASK}@`],
];

/** Removes the given secrets (in all their encodings) and credential-looking patterns. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const v of secretVariants(secret)) out = out.split(v).join(MASK);
  }
  for (const [re, replacement] of GENERIC_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A URL safe to show: secrets and credential query values masked. */
export function redactUrl(url: string, secrets: ReadonlyArray<string | undefined | null> = []): string {
  return redact(url, secrets);
}

/** Headers safe to show: sensitive headers masked entirely, others redacted. */
export function redactHeaders(
  headers: Record<string, string>,
  secrets: ReadonlyArray<string | undefined | null> = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSensitiveHeader(k) ? MASK : redact(v, secrets);
  return out;
}
