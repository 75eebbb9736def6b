import type { Target } from './generator.js';
import type { Operation } from './openapi.js';

/**
 * Every path form the gateway serves for an operation: its own API as is; each service under
 * `/api/v1/<service>`; orders' original MTP paths; processing's `/app/*` and `/central/*`.
 */
export function gatewayTargets(operations: Operation[]): Target[] {
  const targets: Target[] = [];
  for (const operation of operations) {
    const { service, path } = operation;
    if (service === 'gateway') {
      // The catch-all is the proxy itself: the other targets exercise it.
      if (!path.includes('{*}')) targets.push({ operation, template: path });
      continue;
    }
    targets.push({ operation, template: `/api/v1/${service}${path}` });
    if (service === 'orders' && /^\/(order|trader|admin)(\/|$)/.test(path)) targets.push({ operation, template: path });
    if (service === 'processing' && path.startsWith('/app/')) {
      targets.push({ operation, template: path });
      targets.push({ operation, template: `/central/${path.slice('/app/'.length)}` });
    }
  }
  return targets;
}

/** Each backend's own operations, called on its port. */
export function directTargets(operations: Operation[]): Target[] {
  return operations.filter((operation) => operation.service !== 'gateway').map((operation) => ({ operation, template: operation.path }));
}
