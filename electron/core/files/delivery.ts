import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Config } from '../../../shared/config';
import { secretEquals } from '../secrets/constant-time';

// GelatoConnect fetches print files by URL. Delivery turns a downloaded file
// into such a URL: a signed, expiring link to Presslink's own file server, or a
// presigned link to an S3-compatible bucket the file was uploaded to.

export interface DeliverableFile {
  id: number;
  path: string;
  name: string;
  bytes: number;
}

export interface FileDelivery {
  readonly kind: 'signed-url' | 's3';
  deliver(file: DeliverableFile): Promise<string>;
}

export class SignedUrlDelivery implements FileDelivery {
  readonly kind = 'signed-url';
  constructor(
    private readonly publicBaseUrl: string,
    private readonly key: string,
    private readonly ttlMinutes: number,
    private readonly now: () => number = Date.now,
  ) {}

  async deliver(file: DeliverableFile): Promise<string> {
    return signFileUrl(this.publicBaseUrl, this.key, file.id, file.name, Math.floor(this.now() / 1000) + this.ttlMinutes * 60);
  }
}

export function signFileUrl(base: string, key: string, fileId: number, name: string, exp: number): string {
  const sig = fileSignature(key, fileId, name, exp);
  return `${base.replace(/\/+$/, '')}/files/${fileId}/${encodeURIComponent(name)}?exp=${exp}&sig=${sig}`;
}

export function fileSignature(key: string, fileId: number, name: string, exp: number): string {
  return crypto.createHmac('sha256', key).update(`${fileId}\n${name}\n${exp}`).digest('base64url');
}

export function verifyFileSignature(key: string, fileId: number, name: string, exp: number, sig: string, nowSec = Math.floor(Date.now() / 1000)): 'ok' | 'expired' | 'bad' {
  if (!secretEquals(sig, fileSignature(key, fileId, name, exp))) return 'bad';
  return exp < nowSec ? 'expired' : 'ok';
}

type S3Config = Extract<NonNullable<Config['files']['delivery']>, { kind: 's3' }>;

export class S3Delivery implements FileDelivery {
  readonly kind = 's3';
  constructor(
    private readonly cfg: S3Config,
    private readonly credentials: { accessKeyId: string; secretAccessKey: string },
  ) {}

  /** Loaded on first use: the AWS SDK is large and most shops use signed URLs. */
  private async sdk() {
    const s3 = await import('@aws-sdk/client-s3');
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const client = new s3.S3Client({
      region: this.cfg.region,
      endpoint: this.cfg.endpoint,
      forcePathStyle: this.cfg.forcePathStyle,
      credentials: this.credentials,
      // The SDK's default streams uploads as aws-chunked with trailing checksums, which many
      // S3-compatible stores (and older MinIO/Ceph) store verbatim; plain uploads work everywhere.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return { s3, client, getSignedUrl };
  }

  async deliver(file: DeliverableFile): Promise<string> {
    const { s3, client, getSignedUrl } = await this.sdk();
    const Key = `${this.cfg.prefix}${file.id}/${file.name}`;
    try {
      // A crash after upload but before recording the URL must not upload twice.
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.cfg.bucket, Key })).catch(() => null);
      if (!head || head.ContentLength !== file.bytes) {
        await client.send(
          new s3.PutObjectCommand({
            Bucket: this.cfg.bucket,
            Key,
            Body: fs.createReadStream(file.path),
            ContentLength: file.bytes,
            ContentType: 'application/pdf',
          }),
        );
      }
      return await getSignedUrl(client, new s3.GetObjectCommand({ Bucket: this.cfg.bucket, Key }), { expiresIn: this.cfg.ttlMinutes * 60 });
    } finally {
      client.destroy();
    }
  }

  /** For the setup check: a small object uploaded as a print file would be, its presigned link, and a way to remove it. */
  async probe(): Promise<{ url: string; body: string; remove: () => Promise<void> }> {
    const { s3, client, getSignedUrl } = await this.sdk();
    const Key = `${this.cfg.prefix}presslink-check-${crypto.randomBytes(8).toString('hex')}.txt`;
    const body = `Presslink checked this bucket at ${new Date().toISOString()}; this object is removed right after.`;
    try {
      await client.send(new s3.PutObjectCommand({ Bucket: this.cfg.bucket, Key, Body: body, ContentType: 'text/plain' }));
      const url = await getSignedUrl(client, new s3.GetObjectCommand({ Bucket: this.cfg.bucket, Key }), { expiresIn: 300 });
      return {
        url,
        body,
        remove: async () => {
          const again = await this.sdk();
          try {
            await again.client.send(new again.s3.DeleteObjectCommand({ Bucket: this.cfg.bucket, Key }));
          } finally {
            again.client.destroy();
          }
        },
      };
    } finally {
      client.destroy();
    }
  }
}
