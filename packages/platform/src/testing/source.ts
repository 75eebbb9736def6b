/**
 * Node arguments that run a TypeScript entry point from source in a child process: tsx for the
 * syntax, and the `source` export condition so workspace packages resolve to their `.ts` files
 * instead of a build that may be missing or stale.
 */
export const FROM_SOURCE = ['--conditions=source', '--import', 'tsx'] as const;
