export { tracedDatabase } from './database.js';
export { traceHttpApp } from './http-server.js';
export { startTracing, type ServiceTracing } from './sdk.js';
export { parseResourceAttributes, tracingSettings, type SamplerName, type TracingSettings } from './settings.js';
export {
  activeTracer,
  failSpan,
  inSpan,
  serviceContext,
  SpanKind,
  spanStatusFromHttp,
  startClientSpan,
  traceparentOf,
  withRemoteParent,
  type ActiveSpan,
  type ClientSpan,
  type SpanOptions,
} from './spans.js';
