import { Type } from '@sinclair/typebox';
import { IsoDate } from '../../shared/schemas.js';

export const ReportQuery = Type.Object(
  {
    from: IsoDate({ description: 'first plant-local day, inclusive' }),
    to: IsoDate({ description: 'last plant-local day, inclusive' }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv, or send Accept: text/csv' })),
  },
  { additionalProperties: false },
);

const Money = Type.String({ description: 'exact decimal' });
const Period = {
  from: Type.String(),
  to: Type.String(),
  time_zone: Type.String(),
  source: Type.String({ description: 'where the figures come from' }),
};

const SegmentFigures = {
  orders: Type.Integer({ description: 'processed orders (cancelled ones left out)' }),
  lines: Type.Integer({ description: 'every line of those orders' }),
  revenue: Type.String({ description: "exact decimal: sum of the lines' final amounts" }),
  discount: Type.String({ description: "exact decimal: sum of the lines' discounts" }),
  rule_lines: Type.Integer({ description: 'lines at least one pricing rule applied to (application log)' }),
  rule_discount: Type.String({ description: 'exact decimal: discount the logged rule applications gave on those lines' }),
};

export const SegmentRevenueRow = Type.Object({
  month: Type.String({ description: 'YYYY-MM, plant-local' }),
  segment: Type.String({ description: 'the primary segment the order was priced under (in force that day), or (none)' }),
  segment_code: Type.String(),
  ...SegmentFigures,
});
export const SegmentRevenueReport = Type.Object({
  ...Period,
  rows: Type.Array(SegmentRevenueRow),
  totals: Type.Object(SegmentFigures),
});

export const EffectivenessRow = Type.Object({
  rule: Type.String(),
  rule_code: Type.String(),
  rule_name: Type.String(),
  applications: Type.Integer(),
  orders: Type.Integer(),
  total_discount: Money,
  revenue_affected: Money,
  discount_per_application: Money,
  discount_share: Type.String({ description: 'total_discount / (revenue_affected + total_discount), percent' }),
});
export const EffectivenessReport = Type.Object({
  ...Period,
  rows: Type.Array(EffectivenessRow),
  totals: Type.Object({ applications: Type.Integer(), total_discount: Money, revenue_affected: Money }),
});
