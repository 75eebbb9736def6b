import { readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { renderTemplate, type Value } from './helm-template.js';

export const CHART_DIR = new URL('../../deploy/helm/tributary/', import.meta.url);

interface ManifestData {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** A rendered object and the template file it came from. */
export interface Manifest extends ManifestData {
  template: string;
}

/** `helm template <release> deploy/helm/tributary --set …`, with overrides deep-merged into values.yaml. */
export function renderChart(release: string, overrides: Record<string, Value> = {}): Manifest[] {
  const chart = parse(readFileSync(new URL('Chart.yaml', CHART_DIR), 'utf8')) as Record<string, string>;
  const values = merge(parse(readFileSync(new URL('values.yaml', CHART_DIR), 'utf8')) as Value, overrides);
  const root: Value = {
    Values: values,
    Release: { Name: release, Namespace: 'default', Service: 'Helm' },
    Chart: { Name: chart.name!, Version: chart.version!, AppVersion: chart.appVersion! },
  };
  const templates = new URL('templates/', CHART_DIR);
  return readdirSync(templates)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(renderTemplate(readFileSync(new URL(file, templates), 'utf8'), root)).flatMap((document) => {
        if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]!.message}`);
        const manifest = document.toJS() as ManifestData | null;
        return manifest ? [{ ...manifest, template: file }] : [];
      }),
    );
}

// Validators generated from the Kubernetes OpenAPI document (package kubernetes-models).
const VALIDATORS: Record<string, (data: object) => void> = {
  'apps/v1 Deployment': (data) => new Deployment(data as ConstructorParameters<typeof Deployment>[0]).validate(),
  'autoscaling/v2 HorizontalPodAutoscaler': (data) =>
    new HorizontalPodAutoscaler(data as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate(),
  'batch/v1 Job': (data) => new Job(data as ConstructorParameters<typeof Job>[0]).validate(),
  'networking.k8s.io/v1 NetworkPolicy': (data) => new NetworkPolicy(data as ConstructorParameters<typeof NetworkPolicy>[0]).validate(),
  'policy/v1 PodDisruptionBudget': (data) =>
    new PodDisruptionBudget(data as ConstructorParameters<typeof PodDisruptionBudget>[0]).validate(),
  'v1 Secret': (data) => new Secret(data as ConstructorParameters<typeof Secret>[0]).validate(),
  'v1 Service': (data) => new Service(data as ConstructorParameters<typeof Service>[0]).validate(),
};

/** Throws the schema's message when the manifest is not a valid object of its kind. */
export function validateManifest(manifest: Manifest): void {
  const validate = VALIDATORS[`${manifest.apiVersion} ${manifest.kind}`];
  if (!validate) throw new Error(`${manifest.template}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
  const { template: _template, ...data } = manifest;
  validate(data);
}

function merge(base: Value, override: Value): Value {
  if (!isMap(base) || !isMap(override)) return override;
  const merged: Record<string, Value> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? merge(base[key]!, value) : value;
  return merged;
}

function isMap(value: Value): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
