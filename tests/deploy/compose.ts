import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const COMPOSE_FILE = new URL('../../deploy/compose.yaml', import.meta.url);

export interface ComposeService {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  deploy?: { replicas?: number };
  secrets?: string[];
  volumes?: string[];
  profiles?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [field: string]: unknown;
}

/** The compose file as Compose reads it: YAML merge keys (`<<: *anchor`) resolved. */
export function readCompose(): ComposeFile {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
}

/** The services that run the Tributary image (not the databases). */
export function tributaryServices(compose: ComposeFile): Array<[string, ComposeService]> {
  return Object.entries(compose.services).filter(([, service]) => service.image?.includes('tributary'));
}
