import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiErrors, signedInject, testDatabases, useTestBed } from '@tributary/platform/testing';
import { inTransaction } from '@tributary/platform/db';
import { writeEvents } from '@tributary/platform/outbox';
import { signWebhook } from '../src/features/delivery/standard-webhooks.js';
import { SourceService } from './support/peers.js';
import { MailSink, StrictWebhookReceiver } from './support/notify-peers.js';
import { eventually, startSync, testEnv, type SyncUnderTest } from './support/sync.js';

const CHANNELS = '/api/sync/notifications/channels';
const ALERTS_TOKEN = 'alertmanager-token-for-tests';

function jobEvent(type: 'job.failed' | 'job.succeeded', job: string) {
  return {
    aggregateType: 'job',
    aggregateId: `erp:${job}`,
    type,
    payload: {
      service: 'erp',
      job,
      runId: `run-${job}-${type}`,
      scheduledFor: '2026-12-05T00:30:00.000Z',
      startedAt: '2026-12-05T00:30:01.000Z',
      finishedAt: '2026-12-05T00:30:04.250Z',
      trigger: 'schedule',
      outcome: type === 'job.failed' ? 'failed' : 'succeeded',
      durationMs: 3250,
      summary: type === 'job.failed' ? null : { scanned: 12 },
      error: type === 'job.failed' ? 'database connection refused' : null,
    },
  };
}

function alertmanagerMessage(alerts: { name: string; severity: string; status?: 'firing' | 'resolved' }[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="x"}',
    status: 'firing',
    receiver: 'tributary',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: alerts.map((alert) => ({
      status: alert.status ?? 'firing',
      labels: { alertname: alert.name, severity: alert.severity, service: 'erp' },
      annotations: { summary: `${alert.name} on erp` },
      startsAt: '2026-12-05T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `fp-${alert.name}`,
    })),
  };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: notifications`, () => {
    const hooks = { beforeAll, afterAll };
    const beds = { source: useTestBed(hooks, target), sync: useTestBed(hooks, target) };
    const mail = new MailSink({ user: 'notify', pass: 'p@ss word' });
    const receiver = new StrictWebhookReceiver();
    let source: SourceService;
    let sync: SyncUnderTest;
    const as = (roles: string[]) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      signedInject(sync.app, { method, url, ...(body !== undefined ? { body } : {}), identity: { user: 'bob', roles } });

    beforeAll(async () => {
      await mail.start();
      await receiver.start();
      source = beds.source.closing(await SourceService.start(beds.source.handle.database), (started) => started.close());
      sync = beds.sync.closing(
        await startSync(
          beds.sync.handle.database,
          { src: source.url },
          testEnv({
            SMTP_URL: mail.url(),
            SMTP_FROM: 'Tributary <alerts@plant.example>',
            ALERTMANAGER_TOKEN: ALERTS_TOKEN,
            SYNC_NOTIFY_RETRY_DELAY_MS: '50',
          }),
        ),
        (started) => started.stop(),
      );
    });
    afterAll(async () => {
      await receiver.close();
      await mail.close();
    });

    it('lets administrators manage channels, integrations read them, and refuses everyone else', async () => {
      const anonymous = await sync.app.inject({ method: 'GET', url: CHANNELS });
      expect(anonymous.statusCode).toBe(401);
      const anonymousCreate = await sync.app.inject({ method: 'POST', url: CHANNELS, payload: {} });
      expect(anonymousCreate.statusCode).toBe(401);
      expect((await as(['operator'])('GET', CHANNELS)).statusCode).toBe(403);
      expect((await as(['integration'])('GET', CHANNELS)).statusCode).toBe(200);
      const channel = { name: 'ops-mail', kind: 'email', recipients: ['ops@plant.example'], subscriptions: [{ event: 'job.failed' }] };
      const byIntegration = await as(['integration'])('POST', CHANNELS, channel);
      expect(byIntegration.statusCode).toBe(403);
      expect(byIntegration.json().code).toBe('SYNC_ROLE_FORBIDDEN');
      const someId = '00000000-0000-4000-8000-000000000000';
      for (const [method, url] of [
        ['PATCH', `${CHANNELS}/${someId}`],
        ['DELETE', `${CHANNELS}/${someId}`],
        ['POST', `${CHANNELS}/${someId}/rotate-secret`],
        ['POST', `${CHANNELS}/${someId}/test`],
      ] as const) {
        expect((await sync.app.inject({ method, url })).statusCode).toBe(401);
        expect((await as(['integration'])(method, url, method === 'PATCH' ? { enabled: false } : undefined)).statusCode).toBe(403);
      }
      expect((await sync.app.inject({ method: 'GET', url: `${CHANNELS}/${someId}/deliveries` })).statusCode).toBe(401);
      expect((await as(['operator'])('GET', `${CHANNELS}/${someId}/deliveries`)).statusCode).toBe(403);
      expect((await sync.call('GET', CHANNELS)).json().items).toEqual([]);
    });

    it('documents the new routes in a valid OpenAPI document, the alert intake without a signature', async () => {
      const doc = (await sync.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(await openApiErrors(doc)).toEqual([]);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          CHANNELS,
          `${CHANNELS}/{channelId}`,
          `${CHANNELS}/{channelId}/rotate-secret`,
          `${CHANNELS}/{channelId}/test`,
          `${CHANNELS}/{channelId}/deliveries`,
          '/api/sync/alerts',
        ]),
      );
      expect(doc.paths['/api/sync/alerts'].post.security).toEqual([]);
      expect(doc.paths[CHANNELS].post.requestBody).toBeDefined();
      expect(doc.paths[CHANNELS].post.security[0].sigv4).toEqual(['administrator']);
      expect(doc.paths[CHANNELS].get.security[0].sigv4).toEqual(['integration', 'administrator']);
    });

    it('refuses bad channels with a stable code and stores nothing', async () => {
      const cases: [unknown, string][] = [
        [{ name: 'w', kind: 'webhook', url: 'http://hooks.example.com/x', subscriptions: [{ event: '*' }] }, 'SYNC_CHANNEL_URL_INVALID'],
        [
          { name: 'w', kind: 'webhook', url: 'https://u:p@hooks.example.com/x', subscriptions: [{ event: '*' }] },
          'SYNC_CHANNEL_URL_INVALID',
        ],
        [{ name: 'w', kind: 'webhook', subscriptions: [{ event: '*' }] }, 'SYNC_CHANNEL_INVALID'],
        [{ name: 'm', kind: 'email', subscriptions: [{ event: '*' }] }, 'SYNC_CHANNEL_INVALID'],
        [
          { name: 'm', kind: 'email', recipients: ['a@b.example'], url: 'https://x.example', subscriptions: [{ event: '*' }] },
          'SYNC_CHANNEL_INVALID',
        ],
        [
          { name: 'm', kind: 'email', recipients: ['a@b.example\r\nBcc: x@y.example'], subscriptions: [{ event: '*' }] },
          'REQUEST_VALIDATION_FAILED',
        ],
        [{ name: 'm', kind: 'email', recipients: ['a@b.example'], subscriptions: [] }, 'REQUEST_VALIDATION_FAILED'],
        [{ name: 'm', kind: 'sms', recipients: ['a@b.example'], subscriptions: [{ event: '*' }] }, 'REQUEST_VALIDATION_FAILED'],
        [
          { name: 'm', kind: 'email', recipients: ['a@b.example'], subscriptions: [{ event: '*', minSeverity: 'loud' }] },
          'REQUEST_VALIDATION_FAILED',
        ],
      ];
      for (const [body, code] of cases) {
        const response = await sync.call('POST', CHANNELS, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.json().code).toBe(code);
      }
      expect((await sync.call('GET', CHANNELS)).json().items).toEqual([]);
      expect((await sync.call('GET', `${CHANNELS}/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    });

    it('e-mails a failed job from a source outbox to the subscribed channel, and only that', async () => {
      const created = await sync.call('POST', CHANNELS, {
        name: 'ops-mail',
        kind: 'email',
        recipients: ['ops@plant.example', 'qa@plant.example'],
        subscriptions: [{ event: 'job.failed' }],
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ kind: 'email', secret: null, enabled: true });
      const [succeededId, failedId] = await source.write([jobEvent('job.succeeded', 'expiry-scan'), jobEvent('job.failed', 'expiry-scan')]);
      await eventually(async () => expect(mail.messages).toHaveLength(1), 60_000);
      const message = mail.messages[0]!;
      expect(message.subject).toBe('[Tributary] job failed: erp/expiry-scan');
      expect(message.from?.text).toContain('alerts@plant.example');
      expect(message.to && !Array.isArray(message.to) ? message.to.value.map((to) => to.address) : []).toEqual([
        'ops@plant.example',
        'qa@plant.example',
      ]);
      expect(message.text).toContain('Error: database connection refused');
      // 00:30:01 UTC is 06:00:01 in the plant's zone.
      expect(message.text).toContain('Started: 2026-12-05 06:00:01 +05:30');
      expect(message.text).toContain('(Asia/Colombo)');
      const json = JSON.parse(message.attachments[0]!.content.toString('utf8'));
      expect(json).toMatchObject({ type: 'job.failed', data: { eventId: failedId, severity: 'warning', payload: { job: 'expiry-scan' } } });
      expect(mail.logins).toContain('notify');
      const deliveries = await sync.call('GET', `${CHANNELS}/${created.json().id}/deliveries`);
      await eventually(async () => {
        const items = (await sync.call('GET', `${CHANNELS}/${created.json().id}/deliveries`)).json().items;
        expect(items).toMatchObject([{ eventId: failedId, event: 'job.failed', status: 'completed' }]);
      });
      expect(deliveries.statusCode).toBe(200);
      // The succeeded job matched no channel: stored, routed nowhere.
      const skipped = await sync.db.selectFrom('sync_status').select('id').where('event_id', '=', succeededId!).execute();
      expect(skipped).toEqual([]);
    }, 90_000);

    it("e-mails sync's own failed jobs, read from its own outbox", async () => {
      const own = { ...jobEvent('job.failed', 'partitions'), aggregateId: 'sync:partitions' };
      own.payload = { ...own.payload, service: 'sync' };
      await inTransaction(beds.sync.handle.database.db, (trx) => writeEvents(trx, [own]));
      await eventually(
        async () => expect(mail.messages.map((message) => message.subject)).toContain('[Tributary] job failed: sync/partitions'),
        60_000,
      );
    }, 90_000);

    it('signs webhooks by the Standard Webhooks scheme; a retry carries the same id; replays and stale timestamps are refused', async () => {
      const created = await sync.call('POST', CHANNELS, {
        name: 'pager-hook',
        kind: 'webhook',
        url: receiver.url,
        subscriptions: [{ event: 'alert.*', minSeverity: 'warning' }, { event: 'job.*' }],
      });
      expect(created.statusCode).toBe(201);
      const channel = created.json();
      expect(channel.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      receiver.secret = channel.secret;
      expect((await sync.call('GET', `${CHANNELS}/${channel.id}`)).json().secret).toBe('[set]');

      receiver.failNext = 1;
      const [eventId] = await source.write([jobEvent('job.failed', 'stock-sync')]);
      await eventually(async () => expect(receiver.accepted().filter((hit) => hit.body?.data.eventId === eventId)).toHaveLength(1), 60_000);
      const attempts = receiver.attempts.filter((hit) => hit.body?.data.eventId === eventId);
      expect(attempts.map((hit) => hit.status)).toEqual([503, 200]);
      expect(attempts[1]!.headers['webhook-id']).toBe(attempts[0]!.headers['webhook-id']);
      expect(attempts[1]!.body).toMatchObject({ type: 'job.failed', data: { subject: 'job failed: erp/stock-sync', severity: 'warning' } });

      // The same request again, as an attacker who recorded it would send it.
      const recorded = attempts[1]!;
      const replay = await fetch(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': String(recorded.headers['webhook-id']),
          'webhook-timestamp': String(recorded.headers['webhook-timestamp']),
          'webhook-signature': String(recorded.headers['webhook-signature']),
        },
        body: recorded.raw,
      });
      expect(replay.status).toBe(409);
      // Validly signed, but ten minutes old: outside the receiver's tolerance.
      const stale = signWebhook(channel.secret, 'msg-stale', Date.now() - 10 * 60_000, recorded.raw);
      const old = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...stale },
        body: recorded.raw,
      });
      expect(old.status).toBe(400);
      const tampered = signWebhook(channel.secret, 'msg-tampered', Date.now(), recorded.raw);
      const changed = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...tampered },
        body: recorded.raw.replace('stock-sync', 'other-job'),
      });
      expect(changed.status).toBe(400);

      const history = (await sync.call('GET', `${CHANNELS}/${channel.id}/deliveries`)).json().items;
      expect(history[0]).toMatchObject({ eventId, status: 'completed', attempts: 1, lastError: expect.stringContaining('503') });
    }, 90_000);

    it('turns Alertmanager alerts into notifications by severity, once per firing', async () => {
      const message = alertmanagerMessage([
        { name: 'HighErrorRate', severity: 'critical' },
        { name: 'DiskFilling', severity: 'info' },
      ]);
      const unauthenticated = await sync.app.inject({ method: 'POST', url: '/api/sync/alerts', payload: message });
      expect(unauthenticated.statusCode).toBe(401);
      const wrong = await sync.app.inject({
        method: 'POST',
        url: '/api/sync/alerts',
        payload: message,
        headers: { authorization: 'Bearer not-the-alertmanager-token' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('SYNC_ALERTS_TOKEN_INVALID');
      const auth = { authorization: `Bearer ${ALERTS_TOKEN}` };
      const invalid = await sync.app.inject({
        method: 'POST',
        url: '/api/sync/alerts',
        payload: { version: '3', alerts: [] },
        headers: auth,
      });
      expect(invalid.statusCode).toBe(400);

      const accepted = await sync.app.inject({ method: 'POST', url: '/api/sync/alerts', payload: message, headers: auth });
      expect(accepted.statusCode).toBe(200);
      // The info alert is below the channel's minimum; the e-mail channel takes only job.failed.
      expect(accepted.json()).toEqual({ received: 2, captured: 2, deliveries: 1 });
      await eventually(async () => expect(receiver.accepted().filter((hit) => hit.body?.type === 'alert.firing')).toHaveLength(1), 60_000);
      const alert = receiver.accepted().find((hit) => hit.body?.type === 'alert.firing')!;
      expect(alert.body!.data).toMatchObject({
        severity: 'critical',
        subject: 'alert firing: HighErrorRate (critical)',
        aggregateId: 'fp-HighErrorRate',
        payload: { labels: { alertname: 'HighErrorRate' }, annotations: { summary: 'HighErrorRate on erp' } },
      });
      // Alertmanager repeats the group: the same firing does not notify again.
      const repeated = await sync.app.inject({ method: 'POST', url: '/api/sync/alerts', payload: message, headers: auth });
      expect(repeated.json()).toEqual({ received: 2, captured: 0, deliveries: 0 });
      const resolved = await sync.app.inject({
        method: 'POST',
        url: '/api/sync/alerts',
        payload: alertmanagerMessage([{ name: 'HighErrorRate', severity: 'critical', status: 'resolved' }]),
        headers: auth,
      });
      // Resolved is info: below this channel's minimum, so it is stored but not sent.
      expect(resolved.json()).toEqual({ received: 1, captured: 1, deliveries: 0 });
    }, 90_000);

    it('sends a test notification to one channel, rotates its secret and stops when disabled', async () => {
      const channel = (await sync.call('GET', CHANNELS)).json().items.find((item: { name: string }) => item.name === 'pager-hook');
      const rotated = await sync.call('POST', `${CHANNELS}/${channel.id}/rotate-secret`);
      expect(rotated.statusCode).toBe(200);
      expect(rotated.json().secret).toMatch(/^whsec_/);
      expect(rotated.json().secret).not.toBe(receiver.secret);
      receiver.secret = rotated.json().secret;
      const test = await sync.call('POST', `${CHANNELS}/${channel.id}/test`);
      expect(test.statusCode).toBe(202);
      await eventually(async () =>
        expect(receiver.accepted().filter((hit) => hit.body?.data.eventId === test.json().eventId)).toHaveLength(1),
      );
      expect(mail.messages.filter((message) => message.subject?.includes('test notification'))).toEqual([]);

      const disabled = await sync.call('PATCH', `${CHANNELS}/${channel.id}`, { enabled: false });
      expect(disabled.json()).toMatchObject({ enabled: false, secret: '[set]' });
      const refused = await sync.call('POST', `${CHANNELS}/${channel.id}/test`);
      expect(refused.json().code).toBe('SYNC_CHANNEL_INVALID');
      const badPatch = await sync.call('PATCH', `${CHANNELS}/${channel.id}`, { url: 'ftp://example.com' });
      expect(badPatch.json().code).toBe('SYNC_CHANNEL_URL_INVALID');
      expect((await sync.call('GET', `${CHANNELS}/${channel.id}`)).json()).toMatchObject({ url: receiver.url, enabled: false });
      expect((await sync.call('DELETE', `${CHANNELS}/${channel.id}`)).statusCode).toBe(204);
      expect((await sync.call('GET', `${CHANNELS}/${channel.id}`)).statusCode).toBe(404);
    }, 60_000);
  });
}
