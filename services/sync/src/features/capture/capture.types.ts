/** One event as captured, whatever brought it (an outbox feed or a webhook). */
export interface IncomingEvent {
  id: string;
  source: string;
  name: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  metadata?: Record<string, unknown> | null;
  /** When the source committed it (epoch ms): lag is measured from here. */
  createdAt: number;
  sequence?: string;
  sourceVersion?: string | null;
  docStatus?: string | null;
  sourceUser?: string | null;
  sourceIp?: string | null;
  priority?: number;
  eventGroup?: string | null;
  parentEventId?: string | null;
}

export interface CaptureResult {
  captured: number;
  duplicates: number;
  deliveries: number;
  /** Captured ids, in order. */
  eventIds: string[];
}
