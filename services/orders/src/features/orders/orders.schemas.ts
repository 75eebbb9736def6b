import { Type, type Static } from '@sinclair/typebox';
import { INITIAL_STATUSES } from '../../domain.js';
import { KgIn } from '../plans/plans.schemas.js';

/** The list's query and body are the contract's: processing compiles against the same ones. */
export { OrderListQuery, OrderOut } from '@tributary/contracts';

export const OrderCreateBody = Type.Array(
  Type.Object(
    {
      order_code: Type.String({ minLength: 1, maxLength: 100 }),
      product_name: Type.String({ minLength: 1, maxLength: 500 }),
      requirement: KgIn,
      comments: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
      status: Type.Union(INITIAL_STATUSES.map((s) => Type.Literal(s))),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type OrderCreateBody = Static<typeof OrderCreateBody>;
