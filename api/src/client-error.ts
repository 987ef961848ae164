import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from './errors';

// Node's HTTP parser answers malformed requests itself, before any route: these give those
// answers the same `{ code, message }` body as every other error.
const PARSER_ERRORS: Record<string, [number, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'HEADERS_TOO_LARGE',
    'The request headers are larger than the server accepts (16 KiB); send fewer or smaller headers.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'REQUEST_TIMEOUT',
    'The request was not received in time; send it again.',
  ],
};

const BAD_REQUEST: [number, ErrorCode, string] = [
  400,
  'BAD_REQUEST',
  'The request is not valid HTTP/1.1 (request line, header syntax or framing); check the client.',
];

/** Fastify's `clientErrorHandler`: a JSON error with a stable code, then the socket is closed. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = PARSER_ERRORS[error.code ?? ''] ?? BAD_REQUEST;
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
