import { context, type Tracer } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { Logger } from '../core/logger.js';
import { markTracingEnabled } from './spans.js';
import { tracingSettings, type TracingSettings } from './settings.js';

export interface ServiceTracing {
  tracer: Tracer;
  /** Exports what is still buffered, then stops the exporter: the last step of a graceful stop. */
  shutdown(): Promise<void>;
}

let contextManagerInstalled = false;

/**
 * Starts the OpenTelemetry SDK for one service when its environment names an OTLP endpoint;
 * otherwise returns undefined having loaded nothing (the SDK modules are imported only here,
 * on demand). Each service gets its own provider and exporter, so its spans carry its own
 * service.name even when several services share a process.
 */
export async function startTracing(
  env: Record<string, string | undefined>,
  serviceName: string,
  logger: Logger,
): Promise<ServiceTracing | undefined> {
  const settings = tracingSettings(env, serviceName);
  if (!settings) return undefined;
  const [{ BatchSpanProcessor, TracerProvider }, { OTLPTraceExporter }, { resourceFromAttributes }, { AsyncLocalStorageContextManager }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/context-async-hooks'),
    ]);
  if (!contextManagerInstalled) {
    // One per process: it carries whichever service's span is active, and the tracer with it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerInstalled = true;
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...settings.resourceAttributes, 'service.name': settings.serviceName }),
    sampler: await samplerFor(settings),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.tracesUrl }) })],
  });
  markTracingEnabled();
  logger.info({ endpoint: settings.tracesUrl, sampler: settings.sampler, serviceName: settings.serviceName }, 'tracing enabled');
  return {
    tracer: provider.getTracer('@tributary/platform'),
    shutdown: () => provider.shutdown(),
  };
}

async function samplerFor(settings: TracingSettings): Promise<Sampler> {
  const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace');
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(settings.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.ratio) });
  }
}
