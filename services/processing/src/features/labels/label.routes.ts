import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { Barcode, MaterialName } from '../../http/schemas.js';
import type { FeatureDeps } from '../deps.js';
import { scan } from '../records/records.service.js';
import { labelFields, labelQrPng, labelSvg, labelZpl, type LabelBag } from './label.render.js';
import { ACCESS } from '../../access.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema };

/**
 * `GET /app/label`: the bag's printable label. `format=json` (default) answers the fields, the
 * ZPL and the SVG preview together; `zpl`, `svg` and `png` (the QR only) answer the raw file.
 * Times are the plant's (`timeZone`, PLANT_TIME_ZONE) with the zone's offset printed after them.
 */
export function registerLabelRoutes(app: HttpApp, deps: FeatureDeps, timeZone: string): void {
  app.get(
    '/app/label',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['device'],
        summary: 'Printable label of a bag: ZPL (QR "<table>:<uuid>") and a preview',
        querystring: Type.Object({
          table_name: MaterialName,
          barcode: Barcode,
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('zpl'), Type.Literal('svg'), Type.Literal('png')])),
        }),
        response: {
          200: Type.Union([
            Type.Object({
              table_name: Type.String(),
              barcode: Type.String(),
              qr: Type.String(),
              fields: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
              zpl: Type.String(),
              svg: Type.String(),
            }),
            Type.String(),
            Type.Unknown(),
          ]),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { table_name, barcode } = request.query;
      const bag = (await scan(deps, table_name, barcode)) as unknown as LabelBag;
      const qr = `${table_name}:${bag.barcode}`;
      const fields = labelFields(bag, timeZone);
      switch (request.query.format ?? 'json') {
        case 'zpl':
          return reply.type('application/zpl; charset=utf-8').send(labelZpl(fields, qr));
        case 'svg':
          return reply.type('image/svg+xml; charset=utf-8').send(labelSvg(fields, qr));
        case 'png':
          return reply.type('image/png').send(await labelQrPng(qr));
        default:
          return { table_name, barcode: bag.barcode, qr, fields, zpl: labelZpl(fields, qr), svg: labelSvg(fields, qr) };
      }
    },
  );
}
