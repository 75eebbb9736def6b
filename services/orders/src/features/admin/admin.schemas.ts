import { Type, type Static } from '@sinclair/typebox';
import { MTP_GROUPS } from '../../domain.js';

export const GroupSchema = Type.Union(MTP_GROUPS.map((group) => Type.Literal(group)));
export const UserOut = Type.Object(
  { sub: Type.String({ format: 'uuid' }), username: Type.String(), group: Type.String() },
  { title: 'User' },
);
export type UserOut = Static<typeof UserOut>;

export const UserCreateBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s]+$' }),
    group: GroupSchema,
    sub: Type.Optional(Type.String({ format: 'uuid', description: "The user's id at the gateway; generated when absent" })),
    password: Type.Optional(Type.Unknown({ description: 'Refused: passwords are set at the gateway, never stored here' })),
  },
  { additionalProperties: false },
);
export type UserCreateBody = Static<typeof UserCreateBody>;

export const UserDeleteQuery = Type.Object({ sub: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
