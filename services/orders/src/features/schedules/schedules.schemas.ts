import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '@tributary/platform/core';
import { SHIFTS } from '../../domain.js';
import { DateText, KgIn, KgOut } from '../plans/plans.schemas.js';
import { CodeIn } from '../shipments/shipments.schemas.js';

export const ScheduleOut = Type.Object(
  {
    schedule_code: Type.Integer(),
    schedule_date: DateText,
    order_code: Type.String(),
    shift: Type.String(),
    section: Type.String(),
    quantity: KgOut,
  },
  { title: 'Schedule' },
);
export type ScheduleOut = Static<typeof ScheduleOut>;

export const ScheduleDone = Type.Composite([ScheduleOut, Type.Object({ completed: Type.Boolean() })], { title: 'ScheduleWithCompletion' });
export type ScheduleDone = Static<typeof ScheduleDone>;

export const ScheduleWithShipments = Type.Composite(
  [
    ScheduleDone,
    Type.Object({
      accepted_shipments: Type.Array(Type.Object({ request_code: Type.Integer(), shipment_code: Type.Integer() }), {
        description: 'shipments of the same order_code received at Grandpass (SHIPMENT_ACCEPTED), to fill boxes from',
      }),
    }),
  ],
  { title: 'ScheduleWithShipments' },
);
export type ScheduleWithShipments = Static<typeof ScheduleWithShipments>;

export const ScheduleListQuery = Type.Object({
  schedule_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD; without it every schedule is listed' })),
  completed: Type.Optional(Type.Boolean()),
  ...PageQuery.properties,
});
export type ScheduleListQuery = Static<typeof ScheduleListQuery>;

export const ScheduleCreateBody = Type.Array(
  Type.Object(
    {
      schedule_date: DateText,
      order_code: Type.String({ minLength: 1, maxLength: 100 }),
      shift: Type.Union(SHIFTS.map((shift) => Type.Literal(shift))),
      section: Type.String({ minLength: 1, maxLength: 200 }),
      quantity: KgIn,
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type ScheduleCreateBody = Static<typeof ScheduleCreateBody>;

export const ScheduleCompleteBody = Type.Array(Type.Object({ schedule_code: CodeIn }, { additionalProperties: false }), { minItems: 1 });
export type ScheduleCompleteBody = Static<typeof ScheduleCompleteBody>;
