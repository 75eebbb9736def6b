import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../errors.js';

/**
 * A password handed over in a file (a mounted secret, a file the installer wrote): the text
 * without its final line break, which editors and `echo` add and nobody means as part of it.
 */
export async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw GatewayError.ADMIN_PASSWORD_FILE_UNREADABLE(
      `Cannot read the password file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  return text.replace(/\r?\n$/, '');
}
