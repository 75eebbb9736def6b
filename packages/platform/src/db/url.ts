export type DialectName = 'postgres' | 'mysql' | 'pglite';

export interface ParsedDatabaseUrl {
  dialect: DialectName;
  /** Connection string for postgres/mysql; data directory (or 'memory') for pglite. */
  target: string;
}

/**
 * `postgres://`, `postgresql://`, `mysql://`, `mariadb://`, `pglite://memory`, `pglite://<dir>`.
 * A relative pglite directory is relative to the working directory.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const match = /^([a-z]+):\/\/(.*)$/i.exec(url);
  if (!match) throw new Error(`Unsupported database URL: expected scheme://…, got "${redactUrl(url)}"`);
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return { dialect: 'postgres', target: url };
    case 'mysql':
    case 'mariadb':
      return { dialect: 'mysql', target: `mysql://${rest}` };
    case 'pglite':
      if (rest === '') throw new Error('pglite:// needs a data directory or "memory"');
      return { dialect: 'pglite', target: rest };
    default:
      throw new Error(`Unsupported database scheme "${scheme}" (use postgres://, mysql:// or pglite://)`);
  }
}

/** The URL with any password replaced, safe for logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

const DEFAULT_PORTS: Record<DialectName, string> = { postgres: '5432', mysql: '3306', pglite: '' };

/** `host:port` of a server URL (the directory of a pglite one), for messages; never the password. */
export function databaseAddress(url: string): string {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'pglite') return parsed.target;
  try {
    const { hostname, port } = new URL(parsed.target);
    return `${hostname || 'localhost'}:${port || DEFAULT_PORTS[parsed.dialect]}`;
  } catch {
    return redactUrl(url);
  }
}
