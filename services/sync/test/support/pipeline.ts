import { afterAll, beforeAll } from 'vitest';
import { useTestBed, type TestDatabaseTarget } from '@tributary/platform/testing';
import { SourceService, TargetService } from './peers.js';
import { startSync, testEnv, type SyncUnderTest } from './sync.js';

/** Events flow from `source` through `sync` to `consumer`. */
export interface Pipeline {
  source: SourceService;
  consumer: TargetService;
  /** Started without its background, so a block can add configurations first. */
  sync: SyncUnderTest;
}

/**
 * A source service, a consumer and sync, each on its own fresh database of `target`, started
 * before the block and stopped after it; `peersOf` names sync's peers. `started()` is there from
 * the block's own `beforeAll` on.
 */
export function usePipeline(
  target: TestDatabaseTarget,
  peersOf: (source: SourceService, consumer: TargetService) => Record<string, string>,
): { started(): Pipeline } {
  const hooks = { beforeAll, afterAll };
  const beds = { source: useTestBed(hooks, target), consumer: useTestBed(hooks, target), sync: useTestBed(hooks, target) };
  let pipeline: Pipeline | undefined;
  beforeAll(async () => {
    const source = beds.source.closing(await SourceService.start(beds.source.handle.database), (started) => started.close());
    const consumer = beds.consumer.closing(await TargetService.start(beds.consumer.handle.database), (started) => started.close());
    const sync = beds.sync.closing(
      await startSync(beds.sync.handle.database, peersOf(source, consumer), testEnv(), { background: false }),
      (started) => started.stop(),
    );
    pipeline = { source, consumer, sync };
  });
  return {
    started() {
      if (!pipeline) throw new Error('the pipeline starts in beforeAll; use it from a hook or a test');
      return pipeline;
    },
  };
}
