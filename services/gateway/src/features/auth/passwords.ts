import argon2 from 'argon2';
import { GatewayError } from '../../errors.js';

export interface PasswordPolicy {
  minLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  /** argon2id cost; stored in each hash, so changing it only affects new hashes (and rehash on login). */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

const MAX_LENGTH = 256;

export function checkPolicy(password: string, policy: PasswordPolicy): void {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`at least ${policy.minLength} characters`);
  if (password.length > MAX_LENGTH) problems.push(`at most ${MAX_LENGTH} characters`);
  if (policy.requireUpper && !/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (policy.requireLower && !/[a-z]/.test(password)) problems.push('a lower-case letter');
  if (policy.requireDigit && !/[0-9]/.test(password)) problems.push('a digit');
  if (policy.requireSymbol && !/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  if (problems.length > 0) {
    throw GatewayError.PASSWORD_POLICY_VIOLATION(`Password must have ${problems.join(', ')}`, { details: { requirements: problems } });
  }
}

export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly policy: PasswordPolicy) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.policy.memoryCost,
      timeCost: this.policy.timeCost,
      parallelism: this.policy.parallelism,
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, {
      memoryCost: this.policy.memoryCost,
      timeCost: this.policy.timeCost,
      parallelism: this.policy.parallelism,
    });
  }

  /** Spends the same time as a real check, so an unknown user name is not revealed by speed. */
  async burn(password: string): Promise<void> {
    this.dummy ??= this.hash('tributary-no-such-user');
    await this.verify(await this.dummy, password);
  }
}
