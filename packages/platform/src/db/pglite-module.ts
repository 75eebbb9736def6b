import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let compiled: Promise<WebAssembly.Module> | undefined;
let bundle: Promise<Blob> | undefined;

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

/**
 * PGlite's file-system bundle (Postgres's share/ directory: time zones, text-search
 * dictionaries, extension scripts), read once per process. PGlite otherwise reads its own 6 MB
 * copy per instance and keeps it for the life of the instance as the contents of those files,
 * 30 MB in `up`'s five. Every instance gets the same bytes: Postgres only reads these files.
 * The blob is the file on disk; only `arrayBuffer()`, all PGlite calls, answers the shared copy.
 */
export function pgliteFsBundle(): Promise<Blob> {
  bundle ??= shareBundle().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

/** The runtime's WebAssembly object: Node's types declare its types, but the value only with the DOM library. */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

function packageFile(name: string): URL {
  return new URL(name, pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')));
}

async function compile(): Promise<WebAssembly.Module> {
  return wasm.compile(await readFile(packageFile('pglite.wasm')));
}

async function shareBundle(): Promise<Blob> {
  const file = packageFile('pglite.data');
  const [blob, bytes] = await Promise.all([openAsBlob(file), readFile(file)]);
  // A Buffer may be a slice of a larger pooled ArrayBuffer; PGlite checks the bundle's length.
  const shared =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  Object.defineProperty(blob, 'arrayBuffer', { value: () => Promise.resolve(shared) });
  return blob;
}
