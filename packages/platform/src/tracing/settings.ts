/*
 * The OTEL_* variables the kernel honours, read from the service's own environment (several
 * services can share a process, each with its settings) rather than the SDK's process-wide
 * reading. Names and meanings are the OpenTelemetry specification's.
 */

export type SamplerName =
  'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingSettings {
  /** Where spans are posted: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  serviceName: string;
  sampler: SamplerName;
  /** For the ratio samplers, in [0, 1]; the specification's default is 1. */
  ratio: number;
  resourceAttributes: Record<string, string>;
}

const SAMPLERS = new Set<string>([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);

/** The settings, or undefined when no endpoint is set: tracing is off and nothing is loaded. */
export function tracingSettings(env: Record<string, string | undefined>, defaultServiceName: string): TracingSettings | undefined {
  const tracesUrl = tracesEndpoint(env);
  if (tracesUrl === undefined) return undefined;
  const resourceAttributes = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES);
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  if (!SAMPLERS.has(sampler)) throw new Error(`OTEL_TRACES_SAMPLER "${sampler}" is not one of ${[...SAMPLERS].join(', ')}`);
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = arg ? Number(arg) : 1;
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new Error(`OTEL_TRACES_SAMPLER_ARG "${arg}" is not a ratio between 0 and 1`);
  return {
    tracesUrl,
    // The specification's order: OTEL_SERVICE_NAME wins over service.name in the resource attributes.
    serviceName: env.OTEL_SERVICE_NAME?.trim() || resourceAttributes['service.name'] || defaultServiceName,
    sampler: sampler as SamplerName,
    ratio,
    resourceAttributes,
  };
}

function tracesEndpoint(env: Record<string, string | undefined>): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/** `key=value,key=value` with percent-encoded values; malformed members are skipped, as the specification allows. */
export function parseResourceAttributes(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of (value ?? '').split(',')) {
    const at = member.indexOf('=');
    if (at <= 0) continue;
    const key = member.slice(0, at).trim();
    try {
      out[key] = decodeURIComponent(member.slice(at + 1).trim());
    } catch {
      continue;
    }
  }
  return out;
}
