/**
 * Where `tributary up` listens for a service: `<NAME>_PORT`, else the service's default port.
 * Commands that call the local platform (reconcile) read the same settings, so an operator who
 * moved a port for `up` need not repeat it as a URL.
 */
export function servicePort(name: string, defaultPort: number, env: Record<string, string | undefined>): number {
  const override = env[`${name.toUpperCase()}_PORT`];
  return override ? Number(override) : defaultPort;
}

/** `<NAME>_URL` when set (a remote platform), else the local `up` address. */
export function serviceUrl(name: string, defaultPort: number, env: Record<string, string | undefined>): string {
  return env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${servicePort(name, defaultPort, env)}`;
}
