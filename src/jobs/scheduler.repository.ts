import type { Db } from '../db/database.ts';

// scheduler_leases: one row per named lease, owned by one holder until it expires.

/** Takes the lease, or renews it for its holder; returns the holder that has it now (undefined: another holds it). */
export async function claimLease(
  db: Db,
  lease: { name: string; holder: string; now: number; expiresAt: number },
): Promise<string | undefined> {
  const { name, holder, now, expiresAt } = lease;
  const row = await db
    .insertInto('scheduler_leases')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) =>
          eb.or([eb('scheduler_leases.expires_at', '<', now), eb('scheduler_leases.holder', '=', holder)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder;
}
