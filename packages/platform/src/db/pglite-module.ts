import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * PGlite's WebAssembly module, compiled once per process. PGlite keeps the module it compiled,
 * but only once an instance has finished compiling it: `up` opens its five databases at once,
 * so each compiled the same 10 MB module. The file sits next to the package's entry point.
 */
export function pgliteWasmModule(): Promise<WebAssembly.Module> {
  compiled ??= compile().catch((error: unknown) => {
    compiled = undefined;
    throw error;
  });
  return compiled;
}

/** The runtime's WebAssembly object: Node's types declare its types, but the value only with the DOM library. */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

async function compile(): Promise<WebAssembly.Module> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  return wasm.compile(await readFile(new URL('pglite.wasm', entry)));
}
