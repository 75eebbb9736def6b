import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads one line from the terminal without echoing it: readline echoes what it reads to its
 * output, so its output is a sink and the prompt goes to stderr directly.
 */
export function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const sink = new Writable({
    write(_chunk: unknown, _encoding: BufferEncoding, done: () => void) {
      done();
    },
  });
  const terminal = createInterface({ input: process.stdin, output: sink, terminal: true });
  return new Promise((resolve, reject) => {
    terminal.once('line', (line) => {
      terminal.close();
      process.stderr.write('\n');
      resolve(line);
    });
    terminal.once('SIGINT', () => {
      terminal.close();
      process.stderr.write('\n');
      reject(new Error('cancelled'));
    });
  });
}
