import { Type, type Static } from '@sinclair/typebox';

/** The body of every error answer. Put it in route response schemas (e.g. `409: errorResponseSchema`). */
export const errorResponseSchema = Type.Object(
  {
    code: Type.String({ description: 'Stable, machine-readable error code' }),
    message: Type.String(),
    requestId: Type.String({ description: 'Quote it when reporting a problem; it finds the log lines' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { title: 'ErrorResponse' },
);

export type ErrorResponse = Static<typeof errorResponseSchema>;
