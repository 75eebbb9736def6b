import { Type, type TSchema } from '@sinclair/typebox';
import { MATERIALS } from '../domain/materials.js';

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** The Device-Panel sends created_ts as a number for some tables and a string for others. */
export const EpochMs = Type.Union(
  [Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ pattern: '^[0-9]{1,16}$' })],
  {
    description: 'epoch milliseconds, number or digit string',
  },
);
/**
 * Weights are kg with at most two decimals, as a JSON number or a decimal string. The schema
 * accepts any plain decimal so that precision and range are judged in one place (parseKg,
 * `WEIGHT_INVALID`) whether the value came as a number or as a string.
 */
export const Kg = Type.Union([Type.Number(), Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,12})?$' })], {
  description: 'kilograms (≤ 2 decimals)',
});
export const Barcode = Type.String({ pattern: UUID_PATTERN, description: 'bag barcode (uuid)' });
export const Code = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const Text = (options: { maxLength?: number } = {}) => Type.String({ minLength: 1, maxLength: options.maxLength ?? 200 });
export const OptionalText = () => Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()]));
export const MaterialName = Type.Union(MATERIALS.map((m) => Type.Literal(m)));

export const ItemKey = Type.Object({ item_code: Text(), created_ts: Type.Integer() });
export const ItemKeyQuery = Type.Object({
  item_code: Type.Optional(Text()),
  created_ts: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
});

/** Responses declared loosely where the shape depends on the table (scan_record's parent columns). */
export const OpenObject = (properties: Record<string, TSchema> = {}) => Type.Object(properties, { additionalProperties: true });
export const Echo = OpenObject();
