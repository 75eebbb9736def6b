import type { Trace, TraceEdge, TraceNode } from '../../api/trace';
import { compareDecimal, formatKg, formatPlantTime, plantDatesIn } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { kindName, nodeDetails } from './node-details';

const NODE_COLUMNS: ReadonlyArray<Column<TraceNode>> = [
  { key: 'what', header: 'What', text: (node) => plantDatesIn(node.label) },
  { key: 'kind', header: 'Kind', text: (node) => kindName(node.kind) },
  { key: 'details', header: 'Details', text: nodeDetails },
  {
    key: 'when',
    header: 'When',
    text: (node) => formatPlantTime(node.at),
    compare: (a, b) => (a.at ?? '').localeCompare(b.at ?? ''),
  },
];

const RELATIONS: Record<TraceEdge['relation'], string> = {
  grew: 'grew',
  brokered: 'brokered',
  invoiced: 'invoiced',
  bagged: 'bagged into',
  ingredient_of: 'went into',
  produced: 'produced',
  shipped_in: 'shipped in',
  carried_by: 'carried by',
  parcelled: 'filled into',
  filled_into: 'filled for',
};

interface NodeTableProps {
  caption: string;
  nodes: readonly TraceNode[];
  exportName: string;
  empty: string;
  onTrace: (node: TraceNode) => void;
}

/** Nodes of one side of the genealogy; choosing one traces from it. */
export function NodeTable({ caption, nodes, exportName, empty, onTrace }: NodeTableProps) {
  return (
    <section aria-label={caption}>
      <h3>{caption}</h3>
      <DataTable
        caption={caption}
        rows={nodes}
        columns={NODE_COLUMNS}
        rowKey={(node) => node.id}
        exportName={exportName}
        empty={empty}
        onSelect={onTrace}
      />
    </section>
  );
}

/** Every link of the genealogy with the kg that moved along it. */
export function LinkTable({ trace, exportName }: { trace: Trace; exportName: string }) {
  const labels = new Map(trace.nodes.map((node) => [node.id, plantDatesIn(node.label)]));
  const columns: ReadonlyArray<Column<TraceEdge>> = [
    { key: 'from', header: 'From', text: (edge) => labels.get(edge.from) ?? edge.from },
    { key: 'how', header: 'How', text: (edge) => RELATIONS[edge.relation] ?? edge.relation },
    { key: 'to', header: 'To', text: (edge) => labels.get(edge.to) ?? edge.to },
    {
      key: 'kg',
      header: 'Weight',
      text: (edge) => formatKg(edge.quantityKg),
      compare: (a, b) => compareDecimal(a.quantityKg ?? '0', b.quantityKg ?? '0'),
      numeric: true,
    },
  ];
  return (
    <section aria-label="Links">
      <h3>Links</h3>
      <DataTable
        caption="Links"
        rows={trace.edges}
        columns={columns}
        rowKey={(edge) => `${edge.from}>${edge.relation}>${edge.to}`}
        exportName={exportName}
        empty="No links."
      />
    </section>
  );
}
