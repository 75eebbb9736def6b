import { Type, type TSchema } from '@sinclair/typebox';

/** Exact decimal as a string: money and quantities never travel as JSON numbers. */
export const DecimalString = (options: { description?: string } = {}) =>
  Type.String({ pattern: '^-?[0-9]{1,12}(\\.[0-9]{1,6})?$', ...options });
export const PositiveDecimal = (options: { description?: string } = {}) =>
  Type.String({ pattern: '^(?!0+(\\.0+)?$)[0-9]{1,12}(\\.[0-9]{1,6})?$', ...options });
export const NonNegativeDecimal = (options: { description?: string } = {}) =>
  Type.String({ pattern: '^[0-9]{1,12}(\\.[0-9]{1,6})?$', ...options });
export const IsoDate = (options: { description?: string } = {}) =>
  Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', ...options });
export const DocName = (options: { description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: 140, pattern: '^[^\\x00-\\x1f]+$', ...options });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Paging = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
};

export const NameParams = Type.Object({ name: DocName() });

export const page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), limit: Type.Integer(), offset: Type.Integer(), hasMore: Type.Boolean() });
