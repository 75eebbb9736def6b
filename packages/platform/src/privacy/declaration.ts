/**
 * A service's one statement of where it keeps personal data. Export, erasure, retention and
 * `tributary mask` all read it, so a new personal column is declared once and every one of
 * them handles it. A declared table or column that does not exist (yet) in a database is
 * skipped, so a declaration may run ahead of a migration.
 */

/** How a value is replaced in a masked copy: a fake of the same shape, stable for one key. */
export type MaskKind = 'shape' | 'name' | 'email' | 'phone' | 'ip' | 'user_agent' | 'uuid' | 'text' | 'null';

/** A personal field of a row that is the subject's own record (a user, a customer). */
export interface PersonalField {
  name: string;
  /** `pseudonymise`: the subject's pseudonym (the same in every service); `null`: NULL (nullable columns only). */
  erase: 'pseudonymise' | 'null';
  mask: MaskKind;
}

export interface PersonalTable {
  table: string;
  /**
   * Rows that are the subject's own record, selected by any of `columns` equal to one of the
   * subject's identifiers. `delete` removes them; `pseudonymise` keeps the row (it carries
   * business facts) and rewrites `fields`.
   */
  owner?: { columns: readonly string[]; erase: 'delete' | 'pseudonymise'; fields: readonly PersonalField[] };
  /**
   * Columns naming a person who acted on a row (created_by, actor, owner): where one equals an
   * identifier it becomes the pseudonym; the row and its quantities and codes stay.
   */
  actors?: readonly { name: string; mask?: MaskKind }[];
  /**
   * JSON (or JSON text) columns whose strings under `keys`, at any depth, name people (an
   * event's metadata.user): those equal to an identifier become the pseudonym.
   */
  mentions?: readonly { name: string; keys: readonly string[] }[];
  /**
   * JSON (or JSON text) columns holding a copy of the subject's own record (an outbox event
   * whose aggregate is the customer): rows where `match` equals an identifier have every string
   * under `keys` replaced by the pseudonym.
   */
  documents?: readonly { match: string; name: string; keys: readonly string[] }[];
  /**
   * Personal data about whoever the row's owner or actor is, with no identifier in it (client
   * IP, user agent): masked in copies; on erasure set to `erased` in the subject's rows.
   */
  incidental?: readonly { name: string; mask: MaskKind; erased: string | null }[];
}

export interface PersonalDataDeclaration {
  service: string;
  /** Erased in this order (rows that reference a record before the record). */
  tables: readonly PersonalTable[];
}

/** What erasure writes: a pseudonym, or an e-mail made of one. Such a value is no longer personal. */
export const ERASED_VALUE = /^erased-[a-z0-9]{8,40}(@erased\.invalid)?$/;
export const isErased = (value: unknown): boolean => typeof value === 'string' && ERASED_VALUE.test(value);

/** Every column a declaration names for a table. */
export function declaredColumns(table: PersonalTable): string[] {
  return [
    ...new Set([
      ...(table.owner ? [...table.owner.columns, ...table.owner.fields.map((f) => f.name)] : []),
      ...(table.actors ?? []).map((a) => a.name),
      ...(table.mentions ?? []).map((m) => m.name),
      ...(table.incidental ?? []).map((i) => i.name),
      ...(table.documents ?? []).flatMap((d) => [d.match, d.name]),
    ]),
  ];
}

/** Object keys under which the platform's own rows (event metadata, stored replies) name people. */
export const PLATFORM_PERSON_KEYS = ['user', 'actor', 'username', 'sub', 'created_by', 'createdBy', 'owner', 'modified_by'] as const;

/**
 * The kernel tables every service has that may name people: outbox events (payload and
 * metadata), idempotency replies (a stored answer may echo a user) and import findings (the
 * original row). `payloadKeys` adds the
 * service's own event fields.
 */
export function platformPersonalTables(payloadKeys: readonly string[] = []): PersonalTable[] {
  const keys = [...new Set([...PLATFORM_PERSON_KEYS, ...payloadKeys])];
  return [
    {
      table: 'outbox',
      mentions: [
        { name: 'payload', keys },
        { name: 'metadata', keys },
      ],
    },
    { table: 'idempotency_key', mentions: [{ name: 'response_body', keys }] },
    // An import finding keeps the original row it is about, which may name a person.
    { table: 'import_log', mentions: [{ name: 'detail', keys }] },
  ];
}
