/** The parts of a trace the split needs (kept free of the API client so it can be tested alone). */
interface Graph<Node extends { id: string }> {
  roots: readonly string[];
  nodes: readonly Node[];
  edges: ReadonlyArray<{ from: string; to: string }>;
}

export interface Lineage<Node extends { id: string }> {
  /** What the code named. */
  found: Node[];
  /** Where it came from: every node with a path to what was found (lots, gardens, ingredient bags…). */
  up: Node[];
  /** Where it went: every node reached from what was found (batches, output bags, shipments…). */
  down: Node[];
}

function reach(start: readonly string[], next: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    for (const id of next.get(queue.shift()!) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(id);
    }
  }
  return seen;
}

/** Splits the graph at the traced nodes: edges run from origin to use, so up is against them, down along them. */
export function lineageOf<Node extends { id: string }>(trace: Graph<Node>): Lineage<Node> {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const edge of trace.edges) {
    forward.set(edge.from, [...(forward.get(edge.from) ?? []), edge.to]);
    backward.set(edge.to, [...(backward.get(edge.to) ?? []), edge.from]);
  }
  const roots = new Set(trace.roots);
  const up = reach(trace.roots, backward);
  const down = reach(trace.roots, forward);
  const pick = (ids: Set<string>) => trace.nodes.filter((node) => ids.has(node.id) && !roots.has(node.id));
  return { found: trace.nodes.filter((node) => roots.has(node.id)), up: pick(up), down: pick(down) };
}
