import { ApiError } from '../../lib/api-error';

/** A form's fields: the API's name for each, the user's label, and what the server accepts. */
export interface FieldSpec {
  label: string;
  accepts: string;
}

export interface FieldErrors {
  fields: Record<string, string>;
  /** A refusal no field owns (shown above the form's button). */
  form?: string;
}

/** The server's words with its field names in the user's (valid_to → "Valid until"). */
function inUserWords(message: string, specs: Record<string, FieldSpec>): string {
  return Object.entries(specs).reduce((text, [field, spec]) => text.replaceAll(field, `"${spec.label}"`), message);
}

/**
 * Puts a server refusal at the field it is about: a schema refusal names the field in its path
 * (`/body/discount_percentage`), a rule refusal names it in its message ("valid_to must be
 * after valid_from"). Anything else belongs to the whole form.
 */
export function fieldErrorsOf(error: unknown, specs: Record<string, FieldSpec>): FieldErrors {
  if (!(error instanceof ApiError)) return { fields: {}, form: error instanceof Error ? error.message : 'Something went wrong' };
  const fields: Record<string, string> = {};
  const issues = Array.isArray(error.details.errors) ? (error.details.errors as Array<{ path?: unknown }>) : [];
  for (const issue of issues) {
    const field = typeof issue.path === 'string' ? issue.path.split('/').pop() : undefined;
    const spec = field === undefined ? undefined : specs[field];
    if (field && spec && !fields[field]) fields[field] = `Not accepted: ${spec.accepts}.`;
  }
  if (Object.keys(fields).length > 0) return { fields };
  // The longest name first, so `valid_to` is not taken for a field called `valid`.
  const named = Object.keys(specs)
    .sort((a, b) => b.length - a.length)
    .find((field) => error.message.includes(field));
  if (named) return { fields: { [named]: inUserWords(error.message, specs) } };
  return { fields: {}, form: `${inUserWords(error.message, specs)} (code ${error.code})` };
}
