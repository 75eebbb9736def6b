/** Every failed call, normalised: the server's stable code and request id, or a network failure in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  requestId?: unknown;
  details?: unknown;
}

export function apiErrorOf(response: Response, body: unknown): ApiError {
  const parsed = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  return new ApiError(
    response.status,
    typeof parsed.code === 'string' ? parsed.code : `HTTP_${response.status}`,
    typeof parsed.message === 'string' ? parsed.message : response.statusText || 'The request failed',
    typeof parsed.requestId === 'string' ? parsed.requestId : (response.headers.get('x-request-id') ?? undefined),
    typeof parsed.details === 'object' && parsed.details !== null ? (parsed.details as Record<string, unknown>) : {},
  );
}

/** openapi-fetch's result, as data or a thrown ApiError, so query hooks see one error type. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw apiErrorOf(result.response, result.error);
  return result.data as T;
}
