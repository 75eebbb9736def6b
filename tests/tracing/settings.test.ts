import { describe, expect, it } from 'vitest';
import { tracingSettings } from '@tributary/platform/tracing';

describe('OTEL_* settings a service reads', () => {
  it('is off without an endpoint, whatever else is set', () => {
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }, 'orders')).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, 'orders')).toBeUndefined();
  });

  it('posts to /v1/traces under the base endpoint, or to the traces endpoint as given', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'orders')?.tracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      tracingSettings(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/traces' },
        'orders',
      )?.tracesUrl,
    ).toBe('http://other:4318/traces');
  });

  it('names the service by OTEL_SERVICE_NAME, then service.name in the resource attributes, then its own name', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettings(endpoint, 'orders')).toMatchObject({ serviceName: 'orders', sampler: 'parentbased_always_on', ratio: 1 });
    const attributes = { ...endpoint, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment.name=prod%20eu,broken' };
    expect(tracingSettings(attributes, 'orders')).toMatchObject({
      serviceName: 'from-attrs',
      resourceAttributes: { 'service.name': 'from-attrs', 'deployment.environment.name': 'prod eu' },
    });
    expect(tracingSettings({ ...attributes, OTEL_SERVICE_NAME: 'mtp-orders' }, 'orders')?.serviceName).toBe('mtp-orders');
  });

  it('takes the specification’s samplers and refuses what it cannot honour', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(
      tracingSettings({ ...endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'x'),
    ).toMatchObject({
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
    });
    expect(() => tracingSettings({ ...endpoint, OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'x')).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => tracingSettings({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, 'x')).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
  });
});
