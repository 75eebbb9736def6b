import { createHash } from 'node:crypto';
import type { CaptureDeps } from '../capture/capture.service.js';
import { captureEvents } from '../capture/capture.service.js';
import type { IncomingEvent } from '../capture/capture.types.js';
import { severityFromLabel } from '../routing/severity.js';

/** Where Alertmanager's notifications enter sync's event log. */
export const ALERTMANAGER_SOURCE = 'alertmanager';

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

export interface AlertmanagerMessage {
  version: string;
  receiver?: string;
  status?: string;
  externalURL?: string;
  groupKey?: string;
  alerts: AlertmanagerAlert[];
}

function fingerprintOf(alert: AlertmanagerAlert): string {
  if (alert.fingerprint) return alert.fingerprint;
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
}

/**
 * One event per alert and state change: `alert.firing` once per firing episode (its start),
 * `alert.resolved` once when it ends. Alertmanager repeats a group every repeat_interval; the id
 * is derived from the alert, not the request, so a repeat is recognised as a duplicate and does
 * not notify again.
 */
export function alertEvents(message: AlertmanagerMessage, now: number): IncomingEvent[] {
  return message.alerts.map((alert) => {
    const fingerprint = fingerprintOf(alert);
    const episode = `${fingerprint}|${alert.status}|${alert.startsAt}${alert.status === 'resolved' ? `|${alert.endsAt ?? ''}` : ''}`;
    const severity = severityFromLabel(alert.labels.severity);
    return {
      id: `alert-${createHash('sha256').update(episode).digest('hex').slice(0, 40)}`,
      source: ALERTMANAGER_SOURCE,
      name: `alert.${alert.status}`,
      aggregateType: 'alert',
      aggregateId: fingerprint.slice(0, 200),
      payload: {
        status: alert.status,
        severity,
        labels: alert.labels,
        annotations: alert.annotations ?? {},
        startsAt: alert.startsAt,
        endsAt: alert.endsAt ?? null,
        generatorURL: alert.generatorURL ?? null,
        fingerprint,
        receiver: message.receiver ?? null,
        externalURL: message.externalURL ?? null,
      },
      createdAt: now,
    };
  });
}

export async function receiveAlerts(deps: CaptureDeps, message: AlertmanagerMessage, now: number) {
  const events = alertEvents(message, now);
  const result = await captureEvents(deps, ALERTMANAGER_SOURCE, events);
  return { received: events.length, captured: result.captured, deliveries: result.deliveries };
}
