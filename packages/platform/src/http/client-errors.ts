import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { ErrorResponse } from './error-response.js';

/**
 * Errors Node raises before a request reaches Fastify (a head that arrives too slowly, one
 * that is too large or malformed), answered in the platform's error shape rather than
 * Fastify's, then the connection is closed: nothing after a broken head can be trusted.
 */
export function clientErrorHandler(headersTimeoutMs: number) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, body]: [number, string, Omit<ErrorResponse, 'requestId'>] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [
            408,
            'Request Timeout',
            {
              code: 'REQUEST_TIMEOUT',
              message: `The request did not arrive within the time allowed`,
              details: { part: 'headers', timeoutMs: headersTimeoutMs },
            },
          ]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', { code: 'REQUEST_HEADERS_TOO_LARGE', message: 'Request headers are too large' }]
          : [400, 'Bad Request', { code: 'REQUEST_MALFORMED', message: 'The request is not valid HTTP' }];
    const payload = JSON.stringify({ ...body, requestId: randomUUID() });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
      );
    }
    socket.destroy();
  };
}
