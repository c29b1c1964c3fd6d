import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

// Secrets must never reach a log line. Two layers: pino's `redact` for known
// field names, and a scrubber that replaces any registered secret value
// wherever it appears (messages, URLs, error texts) before the line is written.

const REDACT_PATHS = [
  'apiToken', '*.apiToken', 'apiKey', '*.apiKey', 'token', '*.token', 'password', '*.password',
  'secret', '*.secret', 'secretAccessKey', '*.secretAccessKey', 'accessKeyId', '*.accessKeyId',
  'postbackSecret', '*.postbackSecret', 'authorization', '*.authorization', 'headers.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'headers["x-presslink-secret"]', 'headers["x-presslink-token"]',
];

const knownSecrets = new Set<string>();

/** Registers a secret value so that it is scrubbed from every log line and error message. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) {
    knownSecrets.add(value);
    // The Basic header carries base64(token:) in some clients; scrub that form too.
    knownSecrets.add(Buffer.from(`${value}:`).toString('base64'));
  }
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

export function createLogger(opts: { dataDir?: string; level?: string; stdout?: boolean } = {}): Logger {
  const level = opts.level ?? process.env.PRESSLINK_LOG_LEVEL ?? 'info';
  // Synchronous file writes: a crash (even SIGKILL) never loses the lines that explain it.
  const streams: pino.StreamEntry[] = [];
  if (opts.dataDir) {
    // Log lines name customers and orders: the folder and the file are owner-only.
    const dir = path.join(opts.dataDir, 'logs');
    const file = path.join(dir, 'presslink.log');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    streams.push({ level: level as pino.Level, stream: scrubbingStream(pino.destination({ dest: file, sync: true, mkdir: true })) });
  }
  if (opts.stdout) streams.push({ level: level as pino.Level, stream: scrubbingStream(process.stderr) });
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'presslink' } };
  return streams.length ? pino(options, pino.multistream(streams)) : pino({ ...options, level: 'silent' });
}

function scrubbingStream(target: { write(s: string): unknown }): { write(s: string): void } {
  return { write: (line: string) => void target.write(scrubSecrets(line)) };
}
