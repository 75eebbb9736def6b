import { describe, expect, it } from 'vitest';
import { renderChart, validateManifest, type Manifest } from './chart.js';
import { renderTemplate } from './helm-template.js';

const SERVICES = ['erp', 'gateway', 'orders', 'processing', 'sync'];

interface Container {
  name: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string }>;
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: object; limits?: object };
  securityContext?: { readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  containers: Array<Container & { volumeMounts?: Array<{ mountPath: string }> }>;
  securityContext?: { runAsNonRoot?: boolean };
}

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const podSpec = (manifest: Manifest) => (manifest.spec as { template: { spec: PodSpec } }).template.spec;
const component = (manifest: Manifest) => manifest.metadata.labels?.['app.kubernetes.io/component'];

describe('deploy/helm/tributary rendered', () => {
  const manifests = renderChart('prod');

  it('every manifest is valid against the Kubernetes schema of its kind', () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const manifest of manifests) expect(() => validateManifest(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
  });

  it('the schema check is real: a mistyped field fails it', () => {
    const deployment = structuredClone(ofKind(manifests, 'Deployment')[0]!);
    (deployment.spec as { replicas: unknown }).replicas = 'two';
    expect(() => validateManifest(deployment)).toThrow(/replicas must be integer/);
  });

  it('one Deployment, Service, PodDisruptionBudget and autoscaler per service; gateway and sync run two', () => {
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']) {
      expect(ofKind(manifests, kind).map(component).sort(), kind).toEqual(SERVICES);
    }
    const replicas = Object.fromEntries(
      ofKind(manifests, 'Deployment').map((d) => [component(d), (d.spec as { replicas: number }).replicas]),
    );
    expect(replicas).toEqual({ erp: 1, gateway: 2, orders: 1, processing: 1, sync: 2 });
    for (const hpa of ofKind(manifests, 'HorizontalPodAutoscaler')) {
      expect((hpa.spec as { minReplicas: number }).minReplicas).toBe(replicas[component(hpa)!]);
    }
  });

  it('each service container serves its service, probes /health/live and /health/ready, and runs locked down', () => {
    for (const deployment of ofKind(manifests, 'Deployment')) {
      const name = component(deployment)!;
      const spec = podSpec(deployment);
      const [container] = spec.containers;
      expect(container?.args).toEqual(['serve', name]);
      expect(container?.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(container?.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(container?.resources?.requests).toBeDefined();
      expect(container?.resources?.limits).toBeDefined();
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(container?.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      const env = new Map(container?.env?.map((variable) => [variable.name, variable.value]));
      expect(env.get('MIGRATE_ON_START')).toBe('false');
      expect(env.get('ORDERS_URL')).toBe('http://prod-orders:4001');
      expect(env.has('DATABASE_URL')).toBe(true);
      expect(env.has('GATEWAY_SECRET_KEY')).toBe(name === 'gateway');
    }
  });

  it('every file a variable names is on a mounted volume', () => {
    for (const deployment of ofKind(manifests, 'Deployment')) {
      const [container] = podSpec(deployment).containers;
      const mounts = container?.volumeMounts?.map((mount) => mount.mountPath) ?? [];
      const files = (container?.env ?? []).filter((variable) => variable.name.endsWith('_FILE'));
      expect(files.length, component(deployment)).toBeGreaterThan(0);
      for (const file of files)
        expect(
          mounts.some((mount) => file.value?.startsWith(`${mount}/`)),
          file.name,
        ).toBe(true);
    }
  });

  it('migrates in a pre-install, pre-upgrade hook Job whose Secret exists before it', () => {
    const [job] = ofKind(manifests, 'Job');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const hookSecret = ofKind(manifests, 'Secret').find((secret) => secret.metadata.annotations?.['helm.sh/hook']);
    expect(hookSecret?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(hookSecret?.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(job?.metadata.annotations?.['helm.sh/hook-weight']),
    );
    expect(podSpec(job!).containers[0]?.command?.join(' ')).toMatch(/node apps\/cli\/dist\/main\.js migrate "\$service"/);
  });

  it('holds the keyring, admin password, gateway key and database URLs in Secrets', () => {
    const rendered = renderChart('prod', { secrets: { keyring: '{"keys":{}}', databaseUrls: { erp: 'mysql://u:p@db/erp' } } });
    const secrets = new Map(
      ofKind(rendered, 'Secret').map((secret) => [secret.metadata.name, secret.stringData as Record<string, string>]),
    );
    expect(secrets.get('prod-keyring')).toEqual({ 'keyring.json': '{"keys":{}}' });
    expect(Object.keys(secrets.get('prod-gateway') ?? {}).sort()).toEqual(['admin-password', 'redis-url', 'secret-key']);
    expect(Object.keys(secrets.get('prod-sync') ?? {}).sort()).toEqual(['alertmanager-token', 'smtp-url']);
    expect(secrets.get('prod-databases')?.erp).toBe('mysql://u:p@db/erp');
    expect(Object.keys(secrets.get('prod-databases') ?? {}).sort()).toEqual(SERVICES);
  });

  it('denies by default; only the gateway takes traffic from anywhere, the others from their callers', () => {
    const policies = ofKind(manifests, 'NetworkPolicy');
    type Rule = { from?: Array<{ podSelector?: { matchLabels: Record<string, string> } }> };
    const deny = policies.find((policy) => policy.metadata.name === 'prod-default-deny');
    expect(deny?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'prod' } },
      policyTypes: ['Ingress', 'Egress'],
    });
    const open = policies.filter((policy) => ((policy.spec as { ingress?: Rule[] }).ingress ?? []).some((rule) => rule.from === undefined));
    expect(open.map((policy) => policy.metadata.name)).toEqual(['prod-gateway-public']);
    const callers = (name: string) =>
      (policies.find((policy) => policy.metadata.name === `prod-${name}-callers`)?.spec as { ingress: Rule[] }).ingress[0]!.from!.map(
        (peer) => peer.podSelector?.matchLabels['app.kubernetes.io/component'],
      );
    expect(callers('erp')).toEqual(['gateway', 'sync']);
    expect(callers('orders')).toEqual(['gateway', 'sync', 'processing']);
    expect(callers('sync')).toEqual(['gateway']);
  });

  it("sets the plant's zone everywhere, sync's notification settings from its Secret, and a service's extra variables", () => {
    const rendered = renderChart('prod', {
      plantTimeZone: 'Asia/Kolkata',
      notifications: { smtpFrom: 'plant@example.com' },
      services: { erp: { env: { JOB_EXPIRY_SCAN_SCHEDULE: '0 5 * * *', JOB_SEGMENT_REVIEW_SCHEDULE: 'off' } } },
    });
    type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };
    const envOf = (name: string) =>
      new Map(
        (podSpec(ofKind(rendered, 'Deployment').find((d) => component(d) === name)!).containers[0]!.env as EnvVar[]).map((variable) => [
          variable.name,
          variable,
        ]),
      );
    for (const name of SERVICES) expect(envOf(name).get('PLANT_TIME_ZONE')?.value, name).toBe('Asia/Kolkata');
    const sync = envOf('sync');
    expect(sync.get('SMTP_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'prod-sync', key: 'smtp-url' });
    expect(sync.get('ALERTMANAGER_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: 'prod-sync', key: 'alertmanager-token' });
    expect(sync.get('SMTP_FROM')?.value).toBe('plant@example.com');
    expect(envOf('gateway').has('SMTP_URL')).toBe(false);
    const erp = envOf('erp');
    expect(erp.get('JOB_EXPIRY_SCAN_SCHEDULE')?.value).toBe('0 5 * * *');
    expect(erp.get('JOB_SEGMENT_REVIEW_SCHEDULE')?.value).toBe('off');
    expect(envOf('orders').has('JOB_EXPIRY_SCAN_SCHEDULE')).toBe(false);
    for (const manifest of rendered) expect(() => validateManifest(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
  });

  it('lets sync alone deliver out of the cluster, on the ports of webhooks and SMTP', () => {
    const deliveries = ofKind(manifests, 'NetworkPolicy').find((policy) => policy.metadata.name === 'prod-sync-deliveries');
    expect(deliveries?.spec).toMatchObject({
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'sync' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [443, 465, 587].map((port) => ({ protocol: 'TCP', port })) }],
    });
  });

  it('values change what is rendered (helm --set)', () => {
    const scaled = renderChart('prod', { services: { gateway: { replicas: 3 } }, image: { tag: '1.2.3' } });
    const gateway = ofKind(scaled, 'Deployment').find((deployment) => component(deployment) === 'gateway')!;
    expect((gateway.spec as { replicas: number }).replicas).toBe(3);
    expect(podSpec(gateway).containers[0]).toMatchObject({ name: 'gateway' });
    expect(JSON.stringify(podSpec(gateway))).toContain('"image":"tributary:1.2.3"');
  });
});

describe('the template subset renderer', () => {
  it('renders ranges, conditions, pipelines and trimming as Go templates do', () => {
    const source = 'list:\n{{- range $k, $v := .Values.m }}\n  {{ $k }}: {{ $v.n | quote }}{{ if eq $k "b" }} # b{{ end }}\n{{- end }}\n';
    expect(renderTemplate(source, { Values: { m: { b: { n: 2 }, a: { n: 1 } } } })).toBe('list:\n  a: "1"\n  b: "2" # b\n');
    expect(renderTemplate('x:\n  {{- toYaml .v | nindent 2 }}', { v: { k: [1] } })).toBe('x:\n  k:\n    - 1');
  });

  it('refuses what it does not implement and paths that do not resolve', () => {
    expect(() => renderTemplate('{{ include "x" . }}', {})).toThrow(/not supported/);
    expect(() => renderTemplate('{{ .Values.missing }}', { Values: {} })).toThrow(/does not resolve/);
    expect(() => renderTemplate('{{ .a | b64enc }}', { a: 'x' })).toThrow(/unsupported/);
  });
});
