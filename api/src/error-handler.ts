import { isAmmError } from '@snear/amm-math';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode, validationError } from './errors';
import { apiErrorFromAmm } from './quotes';

/** Which expected 503 was last logged, so an outage is logged once (at warn), not per request. */
export class OutageLog {
  code?: string;

  /** A request succeeded: the outage (if any) is over and the next 503 is logged again. */
  over(log: { info(msg: string): void }): void {
    if (this.code !== undefined) {
      this.code = undefined;
      log.info('answering from fresh state again');
    }
  }
}

/** The app's error handler; expected 503s are logged through `outage`. */
export function createErrorHandler(outage: OutageLog) {
  return function handle(
    this: FastifyInstance,
    error: FastifyError | ApiError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    errorHandler.call(this, error, request, reply, outage);
  };
}

/** Maps every failure to `{ code, message }`: 4xx for what a client sent, 5xx only for our side. */
export function errorHandler(
  this: FastifyInstance,
  error: FastifyError | ApiError,
  request: FastifyRequest,
  reply: FastifyReply,
  outage: OutageLog = new OutageLog(),
): void {
  let apiError: ApiError;
  if (error instanceof ApiError) {
    apiError = error;
  } else if ((error as FastifyError).validation) {
    const fe = error as FastifyError;
    apiError = validationError(fe.validation ?? [], fe.validationContext);
  } else if (isAmmError(error)) {
    apiError = apiErrorFromAmm(error) as ApiError;
  } else {
    apiError = fromFastifyError(error as FastifyError);
  }
  if (error instanceof ApiError && apiError.statusCode === 503) {
    // expected while the chain is unreachable: one warn line per outage, not a stack per request
    if (outage.code !== apiError.code) {
      outage.code = apiError.code;
      request.log.warn({ code: apiError.code, reason: apiError.message }, 'answering 503');
    }
  } else if (apiError.statusCode >= 500) {
    request.log.error({ err: error, req: request }, 'request failed');
  }
  if (apiError.statusCode === 429 || apiError.statusCode === 503) {
    // tell clients when to come back
    if (!reply.hasHeader('retry-after')) reply.header('retry-after', '2');
  }
  reply.code(apiError.statusCode).send({
    code: apiError.code,
    message: apiError.message,
    ...apiError.fields,
  });
}

// Fastify's own client errors (bad JSON, wrong content type, body too large) keep their status.
const FASTIFY_CODES: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the body as JSON with Content-Type: application/json.',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [
    413,
    'PAYLOAD_TOO_LARGE',
    'The body is over 256 KiB; send at most 100 quotes per batch.',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'INVALID_REQUEST',
    'Content-Length does not match the body.',
  ],
};

function fromFastifyError(error: FastifyError): ApiError {
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return new ApiError(known[0], known[1], known[2]);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // e.g. JSON syntax errors (SyntaxError with statusCode 400) and other client-side failures
    const code = error instanceof SyntaxError ? 'INVALID_JSON' : 'INVALID_REQUEST';
    return new ApiError(status, code, `${error.message}`.trim() || 'The request is malformed.');
  }
  return new ApiError(500, 'INTERNAL_ERROR', 'Unexpected server error; it has been logged.');
}
