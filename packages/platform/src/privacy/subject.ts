import { sql, type RawBuilder } from 'kysely';
import type { AnyKysely } from '../db/schema.js';
import type { DialectName } from '../db/url.js';
import { isErased, type PersonalDataDeclaration, type PersonalField, type PersonalTable } from './declaration.js';
import { parseJsonValue, primaryKey, tableColumns, type ColumnInfo } from './introspect.js';
import { personalStrings, redactKeys } from './mask.js';

type Row = Record<string, unknown>;

export interface SubjectExport {
  service: string;
  /** Per table, the rows that hold the subject's data (key and personal columns only). */
  tables: { table: string; relation: 'owner' | 'actor' | 'mention' | 'document'; rows: Row[] }[];
}

export interface SubjectErasure {
  service: string;
  /** Rows changed per table (deleted or rewritten); 0 everywhere on a repeated erasure. */
  counts: Record<string, number>;
}

interface Resolved {
  table: PersonalTable;
  columns: Map<string, ColumnInfo>;
  key: string[];
}

const has = (resolved: Resolved, column: string) => resolved.columns.has(column);

/** The declaration narrowed to the tables and columns this database has. */
async function resolve(db: AnyKysely, dialect: DialectName, declaration: PersonalDataDeclaration): Promise<Resolved[]> {
  const out: Resolved[] = [];
  for (const table of declaration.tables) {
    const columns = await tableColumns(db, dialect, table.table);
    if (columns.length === 0) continue;
    out.push({ table, columns: new Map(columns.map((c) => [c.name, c])), key: await primaryKey(db, dialect, table.table) });
  }
  return out;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function textOf(dialect: DialectName, column: string): RawBuilder<unknown> {
  return dialect === 'mysql' ? sql`cast(${sql.ref(column)} as char)` : sql`cast(${sql.ref(column)} as text)`;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'varchar', 'character', 'char', 'longtext', 'mediumtext', 'tinytext']);

/**
 * Rows with any of `columns` equal to an identifier. A column of another type (uuid, inet) is
 * compared as text, so an identifier that is not a valid value of it simply does not match.
 */
function equalsAny(resolved: Resolved, dialect: DialectName, columns: string[], identifiers: readonly string[]): RawBuilder<unknown> {
  return sql.join(
    columns.map((column) => {
      const type = resolved.columns.get(column)?.type ?? 'text';
      const ref = TEXT_TYPES.has(type) ? sql.ref(column) : textOf(dialect, column);
      return sql`${ref} in (${sql.join(identifiers.map((id) => sql`${id}`))})`;
    }),
    sql` or `,
  );
}

/** Rows whose JSON column mentions an identifier as a JSON string (narrowed precisely in code after). */
function mentionsAny(dialect: DialectName, columns: string[], identifiers: readonly string[]): RawBuilder<unknown> {
  return sql.join(
    columns.flatMap((column) =>
      identifiers.map((id) => sql`${textOf(dialect, column)} like ${`%${escapeLike(JSON.stringify(id))}%`} escape ${'\\'}`),
    ),
    sql` or `,
  );
}

function mentioned(resolved: Resolved, row: Row, identifiers: ReadonlySet<string>): boolean {
  return (resolved.table.mentions ?? []).some(
    (m) => has(resolved, m.name) && personalStrings(parseJsonValue(row[m.name]), m.keys).some((value) => identifiers.has(value)),
  );
}

/** Everything the declaration finds about the subject, table by table. */
export async function exportSubject(
  db: AnyKysely,
  dialect: DialectName,
  declaration: PersonalDataDeclaration,
  identifiers: readonly string[],
): Promise<SubjectExport> {
  const result: SubjectExport = { service: declaration.service, tables: [] };
  if (identifiers.length === 0) return result;
  const ids = new Set(identifiers);
  for (const resolved of await resolve(db, dialect, declaration)) {
    const { table } = resolved;
    const present = (names: string[]) => names.filter((name) => has(resolved, name));
    if (table.owner) {
      const match = present([...table.owner.columns]);
      const columns = present([...new Set([...resolved.key, ...table.owner.columns, ...table.owner.fields.map((f) => f.name)])]);
      if (match.length > 0) {
        const fields = table.owner.fields.filter((f) => has(resolved, f.name));
        const rows = (await selectRows(db, table.table, columns, equalsAny(resolved, dialect, match, identifiers))).filter(
          (row) => table.owner?.erase === 'delete' || stillPersonal(fields, row),
        );
        if (rows.length > 0) result.tables.push({ table: table.table, relation: 'owner', rows });
      }
    }
    const actors = present((table.actors ?? []).map((a) => a.name));
    if (actors.length > 0) {
      const incidental = present((table.incidental ?? []).map((i) => i.name));
      const rows = await selectRows(
        db,
        table.table,
        present([...new Set([...resolved.key, ...actors, ...incidental])]),
        equalsAny(resolved, dialect, actors, identifiers),
      );
      if (rows.length > 0) result.tables.push({ table: table.table, relation: 'actor', rows });
    }
    for (const document of (table.documents ?? []).filter((d) => has(resolved, d.match) && has(resolved, d.name))) {
      const rows = (
        await selectRows(
          db,
          table.table,
          present([...new Set([...resolved.key, document.match, document.name])]),
          equalsAny(resolved, dialect, [document.match], identifiers),
        )
      ).filter((row) => personalStrings(parseJsonValue(row[document.name]), document.keys).some((value) => !isErased(value)));
      if (rows.length > 0)
        result.tables.push({
          table: table.table,
          relation: 'document',
          rows: rows.map((row) => ({ ...row, [document.name]: parseJsonValue(row[document.name]) ?? row[document.name] })),
        });
    }
    const mentions = present((table.mentions ?? []).map((m) => m.name));
    if (mentions.length > 0) {
      const rows = (
        await selectRows(
          db,
          table.table,
          present([...new Set([...resolved.key, ...mentions])]),
          mentionsAny(dialect, mentions, identifiers),
        )
      ).filter((row) => mentioned(resolved, row, ids));
      if (rows.length > 0)
        result.tables.push({ table: table.table, relation: 'mention', rows: rows.map((row) => parseMentions(resolved, row)) });
    }
  }
  return result;
}

function parseMentions(resolved: Resolved, row: Row): Row {
  const out: Row = { ...row };
  for (const m of resolved.table.mentions ?? []) if (m.name in out) out[m.name] = parseJsonValue(out[m.name]) ?? out[m.name];
  return out;
}

async function selectRows(db: AnyKysely, table: string, columns: string[], where: RawBuilder<unknown>): Promise<Row[]> {
  const { rows } = await sql<Row>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where ${where}`.execute(db);
  return rows;
}

/**
 * Removes the subject from every declared table, in declaration order, in the caller's
 * transaction. Owned records are deleted or pseudonymised; actor columns and JSON mentions
 * that name the subject become `pseudonym`; everything else in those rows (quantities, codes,
 * statuses) stays. Running it again changes nothing, since no identifier is left to match.
 */
export async function eraseSubject(
  trx: AnyKysely,
  dialect: DialectName,
  declaration: PersonalDataDeclaration,
  identifiers: readonly string[],
  pseudonym: string,
): Promise<SubjectErasure> {
  const counts: Record<string, number> = {};
  if (identifiers.length === 0) return { service: declaration.service, counts };
  const ids = new Set(identifiers);
  for (const resolved of await resolve(trx, dialect, declaration)) {
    const { table } = resolved;
    const present = (names: string[]) => names.filter((name) => has(resolved, name));
    let changed = 0;
    if (table.owner) {
      const match = present([...table.owner.columns]);
      if (match.length > 0) {
        if (table.owner.erase === 'delete') {
          const deleted =
            await sql`delete from ${sql.table(table.table)} where ${equalsAny(resolved, dialect, match, identifiers)}`.execute(trx);
          changed += Number(deleted.numAffectedRows ?? 0);
        } else {
          const fields = table.owner.fields.filter((f) => has(resolved, f.name));
          if (fields.length > 0) {
            const sets = fields.map((f) => sql`${sql.ref(f.name)} = ${f.erase === 'null' ? null : fieldPseudonym(f.name, pseudonym)}`);
            // A record kept under its id is found again by a repeated erasure: only rewrite what is still personal.
            const personal = sql.join(
              fields.map((f) =>
                f.erase === 'null' ? sql`${sql.ref(f.name)} is not null` : sql`${sql.ref(f.name)} not like ${'erased-%'}`,
              ),
              sql` or `,
            );
            const updated =
              await sql`update ${sql.table(table.table)} set ${sql.join(sets)} where (${equalsAny(resolved, dialect, match, identifiers)}) and (${personal})`.execute(
                trx,
              );
            changed += Number(updated.numAffectedRows ?? 0);
          }
        }
      }
    }
    const actors = present((table.actors ?? []).map((a) => a.name));
    if (actors.length > 0) {
      // One statement per table: each naming column becomes the pseudonym where it names the
      // subject, the incidental ones are cleared; the count is rows, not columns.
      const incidental = (table.incidental ?? []).filter((i) => has(resolved, i.name));
      const sets = [
        ...actors.map(
          (actor) =>
            sql`${sql.ref(actor)} = case when ${equalsAny(resolved, dialect, [actor], identifiers)} then ${pseudonym} else ${sql.ref(actor)} end`,
        ),
        ...incidental.map((i) => sql`${sql.ref(i.name)} = ${i.erased}`),
      ];
      const updated =
        await sql`update ${sql.table(table.table)} set ${sql.join(sets)} where ${equalsAny(resolved, dialect, actors, identifiers)}`.execute(
          trx,
        );
      changed += Number(updated.numAffectedRows ?? 0);
    }
    for (const document of (table.documents ?? []).filter((d) => has(resolved, d.match) && has(resolved, d.name))) {
      if (resolved.key.length === 0) continue;
      const rows = await selectRows(
        trx,
        table.table,
        [...new Set([...resolved.key, document.name])],
        equalsAny(resolved, dialect, [document.match], identifiers),
      );
      for (const row of rows) {
        const parsed = parseJsonValue(row[document.name]);
        if (parsed === undefined) continue;
        const redacted = redactKeys(parsed, document.keys, pseudonym);
        if (!redacted.changed) continue;
        await sql`update ${sql.table(table.table)} set ${sql.ref(document.name)} = ${JSON.stringify(redacted.value)} where ${keyMatch(resolved, row)}`.execute(
          trx,
        );
        changed += 1;
      }
    }
    const mentions = (table.mentions ?? []).filter((m) => has(resolved, m.name));
    if (mentions.length > 0 && resolved.key.length > 0) {
      const names = mentions.map((m) => m.name);
      const rows = await selectRows(trx, table.table, [...new Set([...resolved.key, ...names])], mentionsAny(dialect, names, identifiers));
      for (const row of rows) {
        const sets: RawBuilder<unknown>[] = [];
        for (const m of mentions) {
          const parsed = parseJsonValue(row[m.name]);
          if (parsed === undefined) continue;
          const replaced = replaceStrings(parsed, new Set(m.keys), ids, pseudonym);
          if (!replaced.changed) continue;
          sets.push(sql`${sql.ref(m.name)} = ${JSON.stringify(replaced.value)}`);
        }
        if (sets.length === 0) continue;
        await sql`update ${sql.table(table.table)} set ${sql.join(sets)} where ${keyMatch(resolved, row)}`.execute(trx);
        changed += 1;
      }
    }
    counts[table.table] = (counts[table.table] ?? 0) + changed;
  }
  return { service: declaration.service, counts };
}

/** A kept record still holds personal data: a field not yet replaced or cleared. */
function stillPersonal(fields: readonly PersonalField[], row: Row): boolean {
  return fields.some((f) => row[f.name] !== null && row[f.name] !== undefined && (f.erase === 'null' || !isErased(row[f.name])));
}

const keyMatch = (resolved: Resolved, row: Row) =>
  sql.join(
    resolved.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
    sql` and `,
  );

/** An e-mail column keeps an e-mail shape (constraints and validators still hold); other columns the pseudonym. */
function fieldPseudonym(column: string, pseudonym: string): string {
  return /mail/i.test(column) ? `${pseudonym}@erased.invalid` : pseudonym;
}

function replaceStrings(
  node: unknown,
  keys: ReadonlySet<string>,
  ids: ReadonlySet<string>,
  pseudonym: string,
): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (value: unknown, personal: boolean): unknown => {
    if (typeof value === 'string') {
      if (personal && ids.has(value)) {
        changed = true;
        return pseudonym;
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, personal));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, personal || keys.has(k))]));
    return value;
  };
  const value = walk(node, false);
  return { value, changed };
}
