import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp, startHttpServer, type HttpApp } from '@tributary/platform/http';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const run = promisify(execFile);

/** Runs a file of deploy/ as the image would; resolves to its exit code and output. */
async function exitOf(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(command, args, { cwd: new URL('.', ROOT), env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('deploy/Dockerfile', () => {
  const text = read('deploy/Dockerfile');
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions().map((instruction) => ({
    keyword: instruction.getKeyword(),
    args: instruction.getArgumentsContent() ?? '',
    text: instruction.getTextContent(),
  }));
  const runtimeStart = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  const runtime = instructions.slice(runtimeStart);

  it('passes the Dockerfile validator (the one behind editors’ Docker support)', () => {
    expect(validate(text)).toEqual([]);
    expect(validate(`${text}\nHEALTHCHEK CMD true\n`).map((problem) => problem.message)).toEqual(['Unknown instruction: HEALTHCHEK']);
  });

  it('builds in one stage and runs from a slim one, pruned of dev dependencies', () => {
    expect(dockerfile.getFROMs().map((from) => `${from.getImage()} ${from.getBuildStage() ?? ''}`.trim())).toEqual([
      'node:22-slim build',
      'node:22-slim',
    ]);
    const build = instructions.slice(0, runtimeStart).find((instruction) => instruction.args.includes('npm ci'));
    expect(build?.args).toMatch(/npm ci .*&& npm run build .*&& npm prune --omit=dev/s);
    expect(runtime.find((instruction) => instruction.keyword === 'COPY')?.text).toBe('COPY --from=build /app /app');
  });

  it('runs as a non-root user under tini, with /tmp the one writable place and a node health check', () => {
    const last = (keyword: string) => runtime.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
    expect(last('USER')).toBe('node');
    expect(last('ENTRYPOINT')).toBe('["/usr/bin/tini", "--", "deploy/entrypoint.sh"]');
    expect(last('VOLUME')).toBe('["/tmp"]');
    expect(last('HEALTHCHECK')).toMatch(/CMD \["node", "deploy\/healthcheck\.mjs"\]$/);
    expect(last('ENV')).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('leaves local state, secrets and host builds out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.tributary', 'deploy/secrets', '.git']) expect(ignored).toContain(entry);
  });
});

describe('deploy/healthcheck.mjs against a real service edge', () => {
  let app: HttpApp;
  let port: number;

  beforeAll(async () => {
    app = await createHttpApp({ name: 'probe', logger: silentLogger() });
    const url = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    port = Number(new URL(url).port);
  });
  afterAll(async () => {
    await app.close();
  });

  it('exits 0 while /health/live answers', async () => {
    expect(await exitOf(process.execPath, ['deploy/healthcheck.mjs'], { PORT: String(port) })).toEqual({ code: 0, stderr: '' });
  });

  it('exits 1 when nothing listens on the port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    expect((await exitOf(process.execPath, ['deploy/healthcheck.mjs'], { PORT: String(closed) })).code).toBe(1);
  });
});

describe('deploy/entrypoint.sh', () => {
  it('is valid POSIX shell', async () => {
    expect((await exitOf('sh', ['-n', 'deploy/entrypoint.sh'], {})).code).toBe(0);
  });

  it('refuses to start without a service or a command, naming SERVICE', async () => {
    const result = await exitOf('sh', ['deploy/entrypoint.sh'], {});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/SERVICE.*orders, processing, erp, gateway or sync/);
  });
});
