import type { RunningService } from '@tributary/platform/service';

/** What a newcomer needs after `npm start`: where things are and how to log in. */
export async function printBanner(services: RunningService[], statusUrl: string, elapsedMs: number): Promise<void> {
  const lines = ['', `Tributary is up (${(elapsedMs / 1000).toFixed(1)} s)`, '', `  Platform status: ${statusUrl}/health/ready`, ''];
  if (services.length === 0) lines.push('  No services are built yet.');
  for (const service of services) {
    lines.push(`  ${service.name.padEnd(11)} ${service.url}   health: ${service.url}/health/ready   docs: ${service.url}/docs`);
  }
  const gateway = services.find((service) => service.name === 'gateway');
  lines.push('');
  if (gateway) {
    lines.push(`  Gateway: ${gateway.url}   (every API goes through here)`);
    lines.push(`  Console: ${gateway.url}/`);
  } else {
    lines.push('  The gateway is not built yet: services are reached directly and require SigV4-signed requests');
    lines.push("  (service keys are in the data directory's keyring.json).");
  }
  // The gateway's notes say who can log in, as it is in its database (demo users only when embedded).
  for (const service of services) for (const note of await service.notes()) lines.push(`  ${note}`);
  lines.push('', '  Ctrl-C stops everything.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
