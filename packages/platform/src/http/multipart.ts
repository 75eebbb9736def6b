import { Readable } from 'node:stream';
import Busboy, { type BusboyHeaders } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../core/errors.js';

export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  data: Buffer;
}

/** What a route receives as `request.body` for `multipart/form-data`. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

/**
 * Multipart bodies are buffered (within the app's body limit) and parsed from the buffer,
 * rather than streamed as @fastify/multipart does, because a SigV4 signature covers the body
 * bytes: the raw buffer is what the auth hook verifies.
 */
export function parseMultipart(request: FastifyRequest, raw: Buffer): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: InstanceType<typeof Busboy>;
    try {
      parser = new Busboy({ headers: request.headers as BusboyHeaders, limits: { files: 20, fields: 200 } });
    } catch (error) {
      reject(invalid('REQUEST_MULTIPART_INVALID', 'Malformed multipart/form-data request', { cause: error }));
      return;
    }
    const body: MultipartBody = { fields: {}, files: [] };
    const pending: Promise<void>[] = [];
    parser.on('field', (name: string, value: string) => {
      body.fields[name] = value;
    });
    parser.on('file', (field: string, stream: Readable, filename: string, _encoding: string, mimeType: string) => {
      pending.push(
        (async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          body.files.push({ field, filename, mimeType, data: Buffer.concat(chunks) });
        })(),
      );
    });
    parser.on('error', (error: unknown) =>
      reject(invalid('REQUEST_MULTIPART_INVALID', 'Malformed multipart/form-data request', { cause: error })),
    );
    parser.on('finish', () => {
      Promise.all(pending).then(() => resolve(body), reject);
    });
    Readable.from([raw]).pipe(parser);
  });
}
