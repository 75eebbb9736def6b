import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { signedInject, testAuth } from '../testing/signed.js';
import { createHttpApp } from './app.js';
import type { MultipartBody } from './multipart.js';
import type { HttpApp } from './types.js';

function multipart(boundary: string, parts: { name: string; filename?: string; type?: string; content: string | Buffer }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`),
    );
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipart bodies', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await createHttpApp({ name: 'upload-test', logger: silentLogger(), auth: testAuth() });
    app.post('/upload', async (request) => {
      const body = request.body as MultipartBody;
      return {
        fields: body.fields,
        files: body.files.map((f) => ({
          field: f.field,
          filename: f.filename,
          mimeType: f.mimeType,
          size: f.data.length,
          first: f.data[0],
        })),
      };
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('parses fields and files of a signed upload', async () => {
    const boundary = 'xTRIBUTARYx';
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    const payload = multipart(boundary, [
      { name: 'plan', content: 'week-47' },
      { name: 'file', filename: 'plan.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: binary },
    ]);
    const response = await signedInject(app, {
      method: 'POST',
      url: '/upload',
      body: payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().fields).toEqual({ plan: 'week-47' });
    expect(response.json().files).toHaveLength(1);
    expect(response.json().files[0]).toEqual({
      field: 'file',
      filename: 'plan.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      size: 6,
      first: 0x50,
    });
  });

  it('refuses an unsigned upload and a malformed one', async () => {
    const unsigned = await app.inject({
      method: 'POST',
      url: '/upload',
      payload: 'x',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(unsigned.statusCode).toBe(401);
    const malformed = await signedInject(app, {
      method: 'POST',
      url: '/upload',
      body: 'not multipart',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('REQUEST_MULTIPART_INVALID');
  });
});
