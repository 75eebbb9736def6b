import type { Draft } from './generator.js';
import type { RawResponse } from './client.js';

/** One request as sent, with everything needed to send it again by hand. */
export interface Sent {
  index: number;
  requestId: string;
  operation: string;
  via: 'gateway' | 'direct';
  /** Base URL of the service that received it. */
  target: string;
  /** The gateway user, or the signing principal and its roles. */
  as: string;
  signed?: boolean;
  draft: Draft;
  response: RawResponse;
  /** Time in flight. */
  ms: number;
}

export interface Failure {
  kind: '5xx' | 'no answer' | 'audit row missing';
  sent: Sent;
}

/** Groups failures by kind, operation, path form, mutation class and answer; one replayable example each. */
export function groupFailures(failures: Failure[]): Array<{ key: string; count: number; example: string }> {
  const groups = new Map<string, { count: number; example: string }>();
  for (const failure of failures) {
    const { sent } = failure;
    const form = sent.via === 'direct' ? 'direct' : formOf(sent.draft.path);
    const key = `${failure.kind} | ${sent.operation} | ${form} | ${mutationClass(sent.draft.mutation)} | ${sent.response.status} ${sent.response.code ?? sent.response.error ?? ''}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { count: 1, example: replay(sent) });
  }
  return [...groups.entries()].map(([key, value]) => ({ key, ...value })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function formOf(path: string): string {
  if (path.startsWith('/api/v1/')) return `/api/v1/${path.split('/')[3] ?? ''}`;
  return `/${path.split('/')[1]?.split('?')[0] ?? ''}`;
}

/** The mutation without the noise header and with values folded (`1e309`, `-1e309` → number literal). */
export function mutationClass(mutation: string): string {
  return mutation.split(';')[0]!.trim();
}

/** A one-line description to replay: request id, who, method, URL, headers and the start of the body. */
export function replay(sent: Sent): string {
  const body = sent.draft.body === undefined ? '' : ` body(${sent.draft.body.length})=${JSON.stringify(sent.draft.body.slice(0, 120))}`;
  const headers = Object.keys(sent.draft.headers).length ? ` headers=${JSON.stringify(sent.draft.headers)}` : '';
  return `#${sent.index} ${sent.requestId} {${sent.operation}} [${sent.via} as ${sent.as}${sent.signed === false ? ', unsigned' : ''}] ${sent.draft.method} ${sent.target}${truncate(sent.draft.path, 300)}${headers}${body} → ${sent.response.status} ${sent.response.code ?? sent.response.error ?? ''} (${sent.draft.mutation})`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length})` : text;
}

/** Runs `work` over `items` with at most `limit` in flight, in order of index. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
