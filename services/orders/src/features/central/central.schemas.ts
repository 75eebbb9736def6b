import { Type, type Static } from '@sinclair/typebox';
import { RECORD_TABLES, TRADER_STATUSES } from '@tributary/contracts';
import { KgIn } from '../plans/plans.schemas.js';
import { CodeIn, ShipmentCodeIn } from '../shipments/shipments.schemas.js';

/** Record tables of processing; which of them may go to shipments and parcels is processing's rule. */
export const TableName = Type.Union(RECORD_TABLES.map((t) => Type.Literal(t)));
const TraderStatus = Type.Union(TRADER_STATUSES.map((s) => Type.Literal(s)));
const EpochMs = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,16}$' })]);
const Barcode = Type.String({ format: 'uuid' });
/** Processing's answers are passed through as they are. */
export const Passthrough = Type.Array(Type.Object({}, { additionalProperties: true }));

export const TraderQuery = Type.Object({ trader_status: Type.Optional(TraderStatus) });
export const TraderBody = Type.Array(
  Type.Object(
    { item_code: Type.String({ minLength: 1, maxLength: 200 }), created_ts: EpochMs, trader_status: TraderStatus },
    { additionalProperties: false },
  ),
  {
    minItems: 1,
  },
);
export type TraderBody = Static<typeof TraderBody>;

export const ShipmentRecordQuery = Type.Object({ request_code: Type.Integer({ minimum: 1 }), shipment_code: Type.Integer({ minimum: 1 }) });
export const ShipmentRecordBody = Type.Array(
  Type.Object(
    { table_name: TableName, barcode: Barcode, request_code: CodeIn, shipment_code: ShipmentCodeIn, amount: KgIn },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type ShipmentRecordBody = Static<typeof ShipmentRecordBody>;

export const ParcelQuery = Type.Object({ schedule_code: Type.Integer({ minimum: 1 }) });
export const ParcelBody = Type.Array(
  Type.Object(
    {
      table_name: TableName,
      barcode: Barcode,
      request_code: CodeIn,
      shipment_code: ShipmentCodeIn,
      schedule_code: CodeIn,
      reduced_by: KgIn,
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type ParcelBody = Static<typeof ParcelBody>;
export const BarcodesOut = Type.Array(Type.Object({ barcode: Type.String() }));
