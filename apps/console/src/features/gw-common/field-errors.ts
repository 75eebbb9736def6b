import { ApiError } from '../../lib/api-error';

/**
 * Where the server placed a refusal: a schema failure names its path (/body/upstreamUrl), a
 * rule the gateway checks itself names its field in details.field, and `fieldOfCode` places
 * the codes a form knows. Answers field → message; the rest is left to the form's error panel.
 */
export function fieldErrorsOf(error: unknown, fieldOfCode: Readonly<Record<string, string>> = {}): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const found: Record<string, string> = {};
  if (typeof error.details.field === 'string') found[error.details.field] = error.message;
  // A few refusals are always about one field of the form (a scope, the owner), whichever route gave them.
  const byCode = fieldOfCode[error.code];
  if (byCode) found[byCode] ??= error.message;
  const issues = Array.isArray(error.details.errors) ? (error.details.errors as unknown[]) : [];
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    const field = typeof path === 'string' ? /^\/body\/([^/]+)/.exec(path)?.[1] : undefined;
    if (field && typeof message === 'string') found[field] ??= message;
  }
  return found;
}
