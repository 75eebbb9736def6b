import type { TestDatabase, TestDatabaseTarget } from './databases.js';

/**
 * The runner's suite hooks, handed in by the test file (`{ beforeAll, afterAll }` from vitest),
 * so the kernel stays free of a test runner and benchmarks can import this package too.
 */
export interface SuiteHooks {
  beforeAll(run: () => Promise<void>): void;
  afterAll(run: () => Promise<void>): void;
}

/** A fresh database for one block of tests, and what the block starts on it. */
export interface TestBed {
  /** The block's database; there once the block's first `beforeAll` has run. */
  readonly handle: TestDatabase;
  /** Hands `resource` back and closes it after the block: the last one started is closed first, the database last. */
  closing<T>(resource: T, close: (resource: T) => Promise<unknown>): T;
}

/**
 * Creates a database on `target` before the block (prepared by `prepare`, e.g. migrated) and
 * destroys it after, once everything handed to `closing` is closed. Register it before the
 * block's own hooks so its database exists when they run.
 */
export function useTestBed(hooks: SuiteHooks, target: TestDatabaseTarget, prepare?: (handle: TestDatabase) => Promise<void>): TestBed {
  let handle: TestDatabase | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  hooks.beforeAll(async () => {
    handle = await target.create();
    await prepare?.(handle);
  });
  hooks.afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await handle?.destroy();
  });
  return {
    get handle() {
      if (!handle) throw new Error('the test database is created in beforeAll; use it from a hook or a test');
      return handle;
    },
    closing(resource, close) {
      closers.push(() => close(resource));
      return resource;
    },
  };
}
