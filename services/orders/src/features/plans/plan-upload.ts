import { OrdersError } from '../../errors.js';
import { readPlanWorkbook } from './plan-excel.js';
import type { MultipartBody } from '@tributary/platform/http';
import type { NumberedRow } from './plan-rows.js';
import type { PlanRawRow } from './plans.schemas.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * POST /order/plan takes the rows as JSON (what the Admin-Panel sends after parsing the sheet
 * in the browser), the .xlsx itself as the body, or the .xlsx as a multipart form field.
 * The platform parses multipart bodies (buffered, so the signature still covers them); the
 * file is the field named "file", or the first file of the form.
 */
export async function planRowsFromBody(body: unknown, contentType: string | undefined): Promise<NumberedRow[]> {
  if (Array.isArray(body)) return (body as PlanRawRow[]).map((values, index) => ({ row: index + 1, values }));
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'multipart/form-data' && isMultipart(body)) {
    const file = body.files.find((candidate) => candidate.field === 'file') ?? body.files[0];
    if (!file) throw OrdersError.PLAN_FILE_INVALID('The form has no file (send the .xlsx in a field named "file")');
    return readPlanWorkbook(file.data);
  }
  if (Buffer.isBuffer(body) && (media === XLSX_MEDIA_TYPE || media === 'application/octet-stream')) return readPlanWorkbook(body);
  throw OrdersError.PLAN_FILE_INVALID(
    `POST /order/plan takes a JSON array, an .xlsx body or a multipart form, not ${media || 'this body'}`,
  );
}

function isMultipart(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && Array.isArray((body as MultipartBody).files);
}
