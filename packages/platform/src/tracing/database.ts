import { context, trace, type Span } from '@opentelemetry/api';
import type { CompiledQuery, Kysely, KyselyPlugin, QueryId, RootOperationNode } from 'kysely';
import type { Database } from '../db/create.js';
import { activeTracer, SpanKind } from './spans.js';

/**
 * The service's database with a span per query, for a service that traces. A plugin on a
 * copy of the Kysely instance rather than a change to createDatabase: the untraced database
 * stays exactly as it was, and the copy shares its pool.
 */
export function tracedDatabase<DB>(database: Database<DB>): Database<DB> {
  const executor = database.db.getExecutor();
  const db: Kysely<DB> = database.db.withPlugin(queryTracing((node, queryId) => executor.compileQuery(node, queryId), database.dialect));
  return { ...database, db };
}

const OPERATION = /^\s*\(?\s*([a-z]+)/i;
const TABLE = /\b(?:from|into|update|join)\s+((?:[`"]?[\w$]+[`"]?\.)?[`"]?[\w$]+[`"]?)/i;

/**
 * A span per statement: named by its operation and first table, carrying the statement text
 * as compiled, with placeholders where the values go. The parameter values themselves are
 * never read. Queries with no span around them (a worker's idle polling) record nothing, so an
 * idle service exports nothing. A query that fails never reaches transformResult: its span is
 * dropped unended (the request's span records the failure).
 */
function queryTracing(compile: (node: RootOperationNode, queryId: QueryId) => CompiledQuery, dialect: string): KyselyPlugin {
  const open = new WeakMap<QueryId, Span>();
  return {
    transformQuery({ node, queryId }) {
      const tracer = activeTracer();
      const parent = context.active();
      if (tracer && trace.getSpan(parent)) {
        const text = compile(node, queryId).sql;
        const operation = OPERATION.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
        const table = TABLE.exec(text)?.[1]?.replace(/[`"]/g, '');
        const span = tracer.startSpan(
          table ? `${operation} ${table}` : operation,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'db.system.name': dialect === 'mysql' ? 'mariadb' : 'postgresql',
              'db.operation.name': operation,
              ...(table ? { 'db.collection.name': table } : {}),
              'db.query.text': text,
            },
          },
          parent,
        );
        open.set(queryId, span);
      }
      return node;
    },
    async transformResult({ result, queryId }) {
      const span = open.get(queryId);
      if (span) {
        if (result.numAffectedRows !== undefined) span.setAttribute('db.response.affected_rows', Number(result.numAffectedRows));
        span.end();
        open.delete(queryId);
      }
      return result;
    },
  };
}
