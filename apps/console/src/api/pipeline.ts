import { useEffect, useState } from 'react';
import type { paths } from './gen/tributary.gen';
import { api } from '../lib/api';
import { apiErrorOf, type ApiError } from '../lib/api-error';

type PipelineOperation = paths['/api/v1/console/pipeline']['get'];
/** One `snapshot` event's data: the six counts and when they were read. */
export type PipelineSnapshot = PipelineOperation['responses'][200]['content']['text/event-stream'];
export type PipelineCounts = PipelineSnapshot['counts'];

export interface PipelineState {
  snapshot: PipelineSnapshot | undefined;
  /** Whether the stream is open now; false while it waits to reconnect. */
  live: boolean;
  error: ApiError | undefined;
}

interface StreamEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

/** Splits an event-stream body into events (text/event-stream framing: fields, blank line between). */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event: StreamEvent = {};
        for (const line of buffer.slice(0, end).split('\n')) {
          if (line.startsWith(':')) continue; // a heartbeat comment
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
          else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
        }
        yield event;
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The live pipeline counts. Read with fetch through the generated client, not EventSource,
 * which cannot send the bearer token; so reconnecting is done here, as EventSource would: after
 * the server's `retry:` delay, sending the last event id so an unchanged snapshot is not resent.
 */
export function usePipeline(): PipelineState {
  const [state, setState] = useState<PipelineState>({ snapshot: undefined, live: false, error: undefined });
  useEffect(() => {
    const abort = new AbortController();
    let lastId: string | undefined;
    let retryMs = 3000;
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const { data, response } = await api.GET('/api/v1/console/pipeline', {
            params: { header: lastId ? { 'last-event-id': lastId } : {} },
            headers: { accept: 'text/event-stream' },
            parseAs: 'stream',
            signal: abort.signal,
          });
          if (!response.ok || !data) {
            const body: unknown = await response.json().catch(() => undefined);
            setState((current) => ({ ...current, live: false, error: apiErrorOf(response, body) }));
          } else {
            setState((current) => ({ ...current, live: true, error: undefined }));
            for await (const event of events(data)) {
              if (event.retry !== undefined) retryMs = event.retry;
              if (event.event !== 'snapshot' || event.data === undefined) continue;
              lastId = event.id;
              const snapshot = JSON.parse(event.data) as PipelineSnapshot;
              setState({ snapshot, live: true, error: undefined });
            }
          }
        } catch {
          // A dropped connection (or leaving the page): try again below unless we are leaving.
        }
        if (abort.signal.aborted) return;
        setState((current) => ({ ...current, live: false }));
        await wait(retryMs, abort.signal);
      }
    })();
    return () => abort.abort();
  }, []);
  return state;
}
