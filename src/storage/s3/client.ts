/**
 * An S3Client from S3Settings: keep-alive agents with enough sockets for the parallel ranged GETs,
 * KServe's timeouts and attempts, path-style for custom endpoints, unsigned requests when
 * anonymous, and the CA bundle / verify-SSL switch on the HTTPS agent.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../provider.ts';
import type { S3Settings } from './config.ts';

export interface S3ClientHandle {
  readonly client: S3Client;
  /** Closes the client's sockets (idempotent). */
  close(): void;
}

/** Builds a client; `maxSockets` bounds the connections to the endpoint (file × part concurrency). */
export function makeS3Client(s: S3Settings, maxSockets: number): S3ClientHandle {
  let ca: Buffer | undefined;
  if (s.caBundlePath && s.verifySsl) {
    try {
      ca = readFileSync(s.caBundlePath);
    } catch (err) {
      // KServe fails the same way ("Failed to find ca bundle file").
      throw new StorageError('Unreachable', `Unreachable: S3 CA bundle ${JSON.stringify(s.caBundlePath)} (AWS_CA_BUNDLE / s3-cabundle) cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
  }
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: s.verifySsl, ...(ca ? { ca } : {}) });
  const client = new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle,
    maxAttempts: s.maxAttempts,
    // Explicit credentials or none at all: the SDK's default provider chain is never consulted.
    credentials: s.credentials ? { ...s.credentials } : { accessKeyId: '', secretAccessKey: '' },
    ...(s.credentials ? {} : { signer: { sign: async (req: unknown) => req } as never }),
    // Checksums of whole objects are checked by the provider itself (single-part ETags); the SDK's
    // CRC validation would hash every ranged part a second time.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent, httpsAgent, connectionTimeout: s.connectTimeoutMs, requestTimeout: s.readTimeoutMs },
  });
  let closed = false;
  return {
    client,
    close() {
      if (closed) return;
      closed = true;
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
