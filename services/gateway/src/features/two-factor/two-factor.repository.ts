import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { GatewayDatabase, LoginChallengesTable, UserTwoFactorTable } from '../../db/schema.js';

export type TwoFactorRow = Selectable<UserTwoFactorTable>;
export type ChallengeRow = Selectable<LoginChallengesTable>;

/** user_two_factor and login_challenges: every write that must not race is one conditional statement. */
export class TwoFactorRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  find(userId: string): Promise<TwoFactorRow | undefined> {
    return this.db.selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async isEnabled(userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('user_two_factor').select('enabled').where('user_id', '=', userId).executeTakeFirst();
    return row?.enabled === true;
  }

  /** A new pending secret replaces an earlier unconfirmed one; an enabled factor is never overwritten (false). */
  async savePending(userId: string, secretCiphertext: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('user_two_factor')
      .values({ user_id: userId, secret_ciphertext: secretCiphertext, created_at: now })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ secret_ciphertext: secretCiphertext, created_at: now, last_step: null, recovery_hashes: '[]' })
          .where('user_two_factor.enabled', '=', false),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async enable(userId: string, recoveryHashes: string[], step: number, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('user_two_factor')
      .set({ enabled: true, enabled_at: now, recovery_hashes: JSON.stringify(recoveryHashes), last_step: step })
      .where('user_id', '=', userId)
      .where('enabled', '=', false)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records a code's time step; false when it (or a later one) was already used, so a code works once. */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('user_two_factor')
      .set({ last_step: step })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', String(step))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Spends one recovery code: removed in the same statement that finds it, so two uses cannot both win. */
  async spendRecovery(userId: string, hash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('user_two_factor')
      .set({ recovery_hashes: sql`recovery_hashes - ${hash}::text` })
      .where('user_id', '=', userId)
      .where('enabled', '=', true)
      .where(sql<boolean>`recovery_hashes @> jsonb_build_array(${hash}::text)`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async remove(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('user_two_factor').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async createChallenge(row: Insertable<LoginChallengesTable>): Promise<void> {
    await this.db.insertInto('login_challenges').values(row).execute();
  }

  findChallenge(challengeId: string, now: Date): Promise<ChallengeRow | undefined> {
    return this.db
      .selectFrom('login_challenges')
      .selectAll()
      .where('challenge_id', '=', challengeId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Counts a wrong code against the challenge; once over the limit the challenge is gone. */
  async failChallenge(challengeId: string, maxAttempts: number): Promise<void> {
    await this.db
      .updateTable('login_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('challenge_id', '=', challengeId)
      .execute();
    await this.db.deleteFrom('login_challenges').where('challenge_id', '=', challengeId).where('attempts', '>=', maxAttempts).execute();
  }

  async deleteChallenge(challengeId: string): Promise<void> {
    await this.db.deleteFrom('login_challenges').where('challenge_id', '=', challengeId).execute();
  }
}
