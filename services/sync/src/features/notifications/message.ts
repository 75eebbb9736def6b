import type { EventEnvelope } from '@tributary/contracts';
import { severityOf, type Severity } from '../routing/severity.js';

/** What a channel sends for one event: the webhook body, and the e-mail's subject and text. */
export interface Notification {
  subject: string;
  text: string;
  /** Standard Webhooks' recommended shape: the type, when it happened, and the data. */
  body: { type: string; timestamp: string; data: NotificationData };
}

export interface NotificationData {
  eventId: string;
  source: string;
  aggregateType: string;
  aggregateId: string;
  severity: Severity;
  subject: string;
  payload: unknown;
}

type Fact = [label: string, value: unknown];
type Record_ = Record<string, unknown>;

function record(value: unknown): Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record_) : {};
}

function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An instant in the plant's zone, with the offset so the reader never has to guess: `2026-12-05 22:30:00 +05:30`. */
export function plantTime(value: unknown, timeZone: string): string {
  const date = typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return text(value);
  // Sweden's locale writes ISO-like dates and 24-hour times: `2026-12-05 22:30:00`.
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(date);
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value;
  return `${local} ${zone?.replace('GMT', '') || '+00:00'}`;
}

function jobMessage(envelope: EventEnvelope, data: Record_, zone: string): { subject: string; facts: Fact[] } {
  const name = `${text(data.service) || envelope.source}/${text(data.job) || envelope.aggregateId}`;
  const failed = envelope.type === 'job.failed';
  return {
    subject: `job ${failed ? 'failed' : 'succeeded'}: ${name}`,
    facts: [
      ['Service', data.service],
      ['Job', data.job],
      ['Outcome', data.outcome ?? (failed ? 'failed' : 'succeeded')],
      ['Error', data.error],
      ['Summary', data.summary],
      ['Trigger', data.trigger],
      ['Scheduled for', plantTime(data.scheduledFor, zone)],
      ['Started', plantTime(data.startedAt, zone)],
      ['Finished', plantTime(data.finishedAt, zone)],
      ['Duration', data.durationMs !== undefined && data.durationMs !== null ? `${text(data.durationMs)} ms` : ''],
      ['Run', data.runId],
    ],
  };
}

function batchMessage(envelope: EventEnvelope, data: Record_): { subject: string; facts: Fact[] } {
  const batch = text(data.name) || envelope.aggregateId;
  const days = Number(data.days_to_expiry);
  const when = !Number.isFinite(days) ? '' : days <= 0 ? 'expired' : days === 1 ? '1 day left' : `${days} days left`;
  return {
    subject: `batch ${batch} expiring (${text(data.alert_level) || 'alert'})${when ? `: ${when}` : ''}`,
    facts: [
      ['Batch', batch],
      ['Item', data.item],
      ['Warehouse', data.warehouse],
      ['Expiry date', data.expiry_date],
      ['Days to expiry', data.days_to_expiry],
      ['Alert level', data.alert_level],
      ['Available quantity', data.available_qty],
      ['Potential loss value', data.potential_loss_value],
      ['Batch status', data.status],
    ],
  };
}

function alertMessage(envelope: EventEnvelope, data: Record_, zone: string): { subject: string; facts: Fact[] } {
  const labels = record(data.labels);
  const annotations = record(data.annotations);
  const resolved = envelope.type === 'alert.resolved';
  const name = text(labels.alertname) || envelope.aggregateId;
  return {
    subject: `alert ${resolved ? 'resolved' : 'firing'}: ${name} (${text(data.severity) || 'info'})`,
    facts: [
      ['Alert', name],
      ['Status', resolved ? 'resolved' : 'firing'],
      ['Severity', data.severity],
      ['Summary', annotations.summary],
      ['Description', annotations.description],
      ['Started', plantTime(data.startsAt, zone)],
      ['Ended', resolved ? plantTime(data.endsAt, zone) : ''],
      [
        'Labels',
        Object.entries(labels)
          .map(([key, value]) => `${key}=${text(value)}`)
          .join(', '),
      ],
      ['Source', data.generatorURL],
    ],
  };
}

function describe(envelope: EventEnvelope, zone: string): { subject: string; facts: Fact[] } {
  const data = record(envelope.payload);
  if (envelope.type === 'job.failed' || envelope.type === 'job.succeeded') return jobMessage(envelope, data, zone);
  if (envelope.type === 'erp.batch.expiring') return batchMessage(envelope, data);
  if (envelope.type === 'alert.firing' || envelope.type === 'alert.resolved') return alertMessage(envelope, data, zone);
  if (envelope.type === 'notification.test')
    return {
      subject: `test notification: ${text(data.channel)}`,
      facts: [
        ['Channel', data.channel],
        ['Requested by', data.requestedBy],
      ],
    };
  return {
    subject: `${envelope.type}: ${envelope.aggregateType} ${envelope.aggregateId}`,
    facts: Object.entries(data).map(([key, value]): Fact => [key, value]),
  };
}

/** The notification of one event: a readable e-mail (times in the plant's zone) and the JSON body. */
export function notificationFor(envelope: EventEnvelope, timeZone: string): Notification {
  const severity = severityOf(envelope.type, envelope.payload);
  const { subject, facts } = describe(envelope, timeZone);
  const lines = facts.filter(([, value]) => text(value) !== '').map(([label, value]) => `${label}: ${text(value)}`);
  const body = {
    type: envelope.type,
    timestamp: new Date(envelope.createdAt).toISOString(),
    data: {
      eventId: envelope.id,
      source: envelope.source,
      aggregateType: envelope.aggregateType,
      aggregateId: envelope.aggregateId,
      severity,
      subject,
      payload: envelope.payload,
    },
  };
  const footer = [
    '',
    `Event: ${envelope.type} from ${envelope.source} (${envelope.id})`,
    `Severity: ${severity}`,
    `Occurred: ${plantTime(envelope.createdAt, timeZone)} (${timeZone})`,
    '',
    'As JSON:',
    JSON.stringify(body, null, 2),
  ];
  return { subject: `[Tributary] ${subject}`, text: [...lines, ...footer].join('\n'), body };
}
