/**
 * Renders the chart's templates the way `helm template` does, for the small part of Go's
 * template language the chart is allowed to use: no helm binary is packaged for Debian or npm.
 *
 * Allowed: `{{ pipeline }}`, `{{ if pipeline }}…{{ else }}…{{ end }}`,
 * `{{ range $k, $v := pipeline }}` / `{{ range $v := pipeline }}` (maps in key order, as Go),
 * `{{-` / `-}}` trimming, values `.a.b`, `$.a.b`, `$var.a`, "strings", numbers, and the
 * functions quote, upper, eq, toYaml, nindent, indent. Anything else, and any value path
 * that does not resolve, throws: the chart cannot drift into what this renderer would get
 * wrong, and a typo in a values path fails the test instead of rendering empty.
 */
import { stringify } from 'yaml';

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
type Scope = { dot: Value; root: Value; vars: Map<string, Value> };

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; pipeline: string }
  | { kind: 'if'; pipeline: string; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; keyVar: string | undefined; valueVar: string; pipeline: string; body: Node[] };

const ACTION = /\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}/gs;

export function renderTemplate(source: string, root: Value): string {
  return renderNodes(parse(source), { dot: root, root, vars: new Map() });
}

function parse(source: string): Node[] {
  const tokens: Array<{ text: string } | { action: string }> = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(ACTION)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    tokens.push({ text }, { action: match[2]! });
    trimNext = match[3] !== undefined;
    last = match.index + match[0].length;
  }
  const tail = source.slice(last);
  tokens.push({ text: trimNext ? tail.replace(/^\s+/, '') : tail });

  let position = 0;
  const block = (closers: string[]): { nodes: Node[]; closer: string | undefined } => {
    const nodes: Node[] = [];
    while (position < tokens.length) {
      const token = tokens[position++]!;
      if ('text' in token) {
        nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.action;
      if (closers.includes(action)) return { nodes, closer: action };
      const range = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.+)$/.exec(action);
      if (action.startsWith('if ')) {
        const then = block(['else', 'end']);
        const otherwise = then.closer === 'else' ? block(['end']).nodes : [];
        nodes.push({ kind: 'if', pipeline: action.slice(3), then: then.nodes, otherwise });
      } else if (range) {
        nodes.push({ kind: 'range', keyVar: range[1], valueVar: range[2]!, pipeline: range[3]!, body: block(['end']).nodes });
      } else if (/^(end|else|define|template|include|with|block|\/\*)/.test(action)) {
        throw new Error(`template action not supported here: {{ ${action} }}`);
      } else {
        nodes.push({ kind: 'print', pipeline: action });
      }
    }
    if (closers.length > 0) throw new Error(`missing {{ ${closers.join(' / ')} }}`);
    return { nodes, closer: undefined };
  };
  return block([]).nodes;
}

function renderNodes(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'print') out += print(evaluate(node.pipeline, scope));
    else if (node.kind === 'if') out += renderNodes(truthy(evaluate(node.pipeline, scope)) ? node.then : node.otherwise, scope);
    else out += renderRange(node, scope);
  }
  return out;
}

function renderRange(node: Extract<Node, { kind: 'range' }>, scope: Scope): string {
  const collection = evaluate(node.pipeline, scope);
  const entries: Array<[Value, Value]> = Array.isArray(collection)
    ? collection.map((item, index) => [index, item])
    : isMap(collection)
      ? Object.keys(collection)
          .sort()
          .map((key) => [key, collection[key]!])
      : [];
  return entries
    .map(([key, value]) => {
      const vars = new Map(scope.vars);
      if (node.keyVar) vars.set(node.keyVar, key);
      vars.set(node.valueVar, value);
      return renderNodes(node.body, { ...scope, dot: value, vars });
    })
    .join('');
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  quote: (value) => JSON.stringify(print(value)),
  upper: (value) => print(value).toUpperCase(),
  eq: (a, b) => a === b,
  toYaml: (value) => stringify(value, { sortMapEntries: true }).replace(/\n$/, ''),
  nindent: (width, text) => `\n${indent(Number(width), print(text))}`,
  indent: (width, text) => indent(Number(width), print(text)),
};

function evaluate(pipeline: string, scope: Scope): Value {
  let result: Value | undefined;
  for (const command of pipeline.split('|').map((part) => part.trim())) {
    const words = command.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    const [head, ...rest] = words;
    const fn = head === undefined ? undefined : FUNCTIONS[head];
    if (fn) {
      const args = rest.map((word) => operand(word, scope));
      result = fn(...(result === undefined ? args : [...args, result]));
    } else if (result === undefined && words.length === 1) {
      result = operand(head!, scope);
    } else {
      throw new Error(`unsupported template command: ${command}`);
    }
  }
  if (result === undefined) throw new Error(`empty pipeline: {{ ${pipeline} }}`);
  return result;
}

function operand(word: string, scope: Scope): Value {
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  const [base, ...path] = word.split('.');
  const start = base === '' ? scope.dot : base === '$' ? scope.root : scope.vars.get(base!);
  if (start === undefined) throw new Error(`unknown template variable: ${word}`);
  return path.filter(Boolean).reduce<Value>((value, key) => {
    if (!isMap(value) || !(key in value)) throw new Error(`template value ${word} does not resolve (at ${key})`);
    return value[key]!;
  }, start);
}

function print(value: Value): string {
  if (value === null) throw new Error('template printed a null value');
  // Helm reads values numbers as float64, which Go prints as 1e+06 from a million up.
  if (typeof value === 'number' && Math.abs(value) >= 1e6) throw new Error(`${value} would print in exponent form under Helm: quote it`);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function truthy(value: Value): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function isMap(value: Value): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indent(width: number, text: string): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
