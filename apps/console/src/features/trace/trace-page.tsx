import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { recallCsv, traceQuery, type TraceNode } from '../../api/trace';
import { downloadCsv } from '../../lib/download';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { lineageOf, type Lineage } from './lineage';
import { LinkTable, NodeTable } from './trace-tables';

/** Kinds a recall can start from (processing refuses the others with RECALL_SOURCE_INVALID). */
const RECALL_SOURCES = new Set<TraceNode['kind']>(['lot', 'bag', 'batch', 'invoice', 'garden', 'broker']);

/** What the code names, then where it came from and where it went: each its own list. */
const SIDES: ReadonlyArray<{ caption: string; file: string; empty: string; nodes: (lineage: Lineage<TraceNode>) => TraceNode[] }> = [
  { caption: 'Found', file: 'found', empty: 'Nothing.', nodes: (lineage) => lineage.found },
  {
    caption: 'Where it came from',
    file: 'origin',
    empty: 'Nothing before it: this is where the record starts.',
    nodes: (lineage) => lineage.up,
  },
  {
    caption: 'Where it went',
    file: 'use',
    empty: 'Nothing after it yet: it has not been used or shipped.',
    nodes: (lineage) => lineage.down,
  },
];

/** A file name from a code: label codes hold colons and slashes, which no file system likes. */
const fileSafe = (code: string) => code.replace(/[^\w.-]+/g, '-').slice(0, 80);

export default function TracePage() {
  const [typed, setTyped] = useState('');
  const [code, setCode] = useState('');
  const [recallError, setRecallError] = useState<unknown>();
  const [recalling, setRecalling] = useState(false);
  const query = useQuery(traceQuery(code));

  function submit(event: FormEvent) {
    event.preventDefault();
    setRecallError(undefined);
    setCode(typed.trim());
  }

  function traceFrom(node: TraceNode) {
    setTyped(node.id);
    setCode(node.id);
  }

  async function downloadRecall() {
    setRecallError(undefined);
    setRecalling(true);
    try {
      downloadCsv(`recall-${fileSafe(code)}.csv`, await recallCsv(code));
    } catch (error) {
      setRecallError(error);
    } finally {
      setRecalling(false);
    }
  }

  const lineage = query.data ? lineageOf(query.data) : undefined;
  const recallable = lineage?.found.some((node) => RECALL_SOURCES.has(node.kind)) ?? false;
  return (
    <section aria-labelledby="trace-title">
      <h2 id="trace-title">Traceability</h2>
      <form onSubmit={submit} className="row" aria-label="Trace a code">
        <Field label="Barcode or lot code" hint="Scan a bag label, or type a lot, batch or invoice number, then press Enter.">
          <input value={typed} autoComplete="off" spellCheck={false} onChange={(event) => setTyped(event.target.value)} />
        </Field>
        <button type="submit" disabled={!typed.trim()}>
          Trace
        </button>
      </form>
      {query.isFetching && <p role="status">Tracing…</p>}
      {query.isError && <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && lineage && (
        <>
          {query.data.sources.orders !== 'ok' && (
            <p role="alert" className="panel error">
              The orders service did not answer: shipments and schedules are shown without order, state, gatepass or date.
            </p>
          )}
          <div className="row">
            <p>
              Traced <strong>{query.data.code}</strong>: {lineage.found.length} found, {lineage.up.length} before it, {lineage.down.length}{' '}
              after it.
            </p>
            {recallable && (
              <button type="button" className="secondary" disabled={recalling} onClick={() => void downloadRecall()}>
                Download recall report (CSV)
              </button>
            )}
          </div>
          {recallError !== undefined && <ErrorPanel error={recallError} />}
          {SIDES.map((side) => (
            <NodeTable
              key={side.caption}
              caption={side.caption}
              nodes={side.nodes(lineage)}
              exportName={`trace-${fileSafe(code)}-${side.file}`}
              empty={side.empty}
              onTrace={traceFrom}
            />
          ))}
          <LinkTable trace={query.data} exportName={`trace-${fileSafe(code)}-links`} />
        </>
      )}
    </section>
  );
}
