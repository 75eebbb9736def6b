/**
 * One error type for the whole platform. A code is stable (clients and docs rely on it);
 * the HTTP status is derived from the code's category once, at the edge.
 */
export type ErrorCategory =
  | 'invalid' // 400: the request itself is malformed or fails validation
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'method_not_allowed' // 405: the path exists but not for this method (send Allow)
  | 'request_timeout' // 408: the client did not send its request in time
  | 'conflict' // 409: a business rule or state transition refuses the change
  | 'gone' // 410
  | 'too_large' // 413
  | 'unprocessable' // 422: well-formed but semantically unusable (e.g. idempotency key reuse)
  | 'rate_limited' // 429
  | 'unavailable' // 503: a dependency is down or a breaker is open
  | 'timeout' // 504: a dependency did not answer in time
  | 'internal'; // 500

const STATUS_BY_CATEGORY = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  timeout: 504,
  internal: 500,
} as const satisfies Record<ErrorCategory, number>;

export interface AppErrorOptions {
  /** Extra machine-readable facts for the client (never secrets). */
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Headers the edge should add to the error response (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(category: ErrorCategory, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.category = category;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return STATUS_BY_CATEGORY[this.category];
  }
}

export function statusOf(category: ErrorCategory): number {
  return STATUS_BY_CATEGORY[category];
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Shorthands so call sites read as the rule they enforce. */
export const invalid = (code: string, message: string, options?: AppErrorOptions) => new AppError('invalid', code, message, options);
export const notFound = (code: string, message: string, options?: AppErrorOptions) => new AppError('not_found', code, message, options);
export const conflict = (code: string, message: string, options?: AppErrorOptions) => new AppError('conflict', code, message, options);
export const forbidden = (code: string, message: string, options?: AppErrorOptions) => new AppError('forbidden', code, message, options);
export const unauthenticated = (code: string, message: string, options?: AppErrorOptions) =>
  new AppError('unauthenticated', code, message, options);
export const unavailable = (code: string, message: string, options?: AppErrorOptions) =>
  new AppError('unavailable', code, message, options);

/**
 * One declared error: call it to build the AppError (`throw E.ORDER_NOT_FOUND('…')`). The code and
 * category ride on the function so a catalogue is the single place both are written.
 */
export interface ErrorThrower<Code extends string = string> {
  (message: string, options?: AppErrorOptions): AppError;
  readonly code: Code;
  readonly category: ErrorCategory;
  /** True when `err` is an AppError carrying this code (whatever layer raised it). */
  is(err: unknown): err is AppError;
}

export type ErrorCatalogue<T extends Record<string, ErrorCategory>> = {
  readonly [Code in keyof T & string]: ErrorThrower<Code>;
};

const CODE_SHAPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/**
 * Declares a service's error codes once, each with exactly one category, and returns typed throwers.
 * The key is the code clients see, so it must be UPPER_SNAKE; a code cannot be thrown under two
 * statuses because the category lives here and nowhere else.
 */
export function defineErrors<const T extends Record<string, ErrorCategory>>(catalogue: T): ErrorCatalogue<T> {
  const throwers: Record<string, ErrorThrower> = {};
  for (const [code, category] of Object.entries(catalogue)) {
    if (!CODE_SHAPE.test(code)) throw new Error(`Error code ${code} is not UPPER_SNAKE`);
    if (!(category in STATUS_BY_CATEGORY)) throw new Error(`Error code ${code} has unknown category ${String(category)}`);
    const thrower = (message: string, options?: AppErrorOptions) => new AppError(category, code, message, options);
    throwers[code] = Object.freeze(
      Object.assign(thrower, { code, category, is: (err: unknown): err is AppError => isAppError(err) && err.code === code }),
    );
  }
  return Object.freeze(throwers) as ErrorCatalogue<T>;
}

/** 405 with the Allow header the HTTP spec requires, listing the methods the path does accept. */
export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): AppError {
  const allow = [...new Set(allowed.map((m) => m.toUpperCase()))].sort().join(', ');
  return new AppError('method_not_allowed', 'METHOD_NOT_ALLOWED', `${method} is not routed for ${path}`, {
    details: { allowed: allow.length > 0 ? allow.split(', ') : [] },
    headers: { allow },
  });
}

/** Normalises anything thrown into an Error, keeping the original as `cause`. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : 'Non-error thrown', { cause: thrown });
}
