import { useQuery } from '@tanstack/react-query';
import { tiersQuery, type TierRow } from '../../api/gateway-admin';
import type { Column } from '../../ui/data-table';
import { QueryTable } from '../../ui/query-table';
import { tierName } from '../gw-common/choices';

/** 0 in the tier table means the window has no limit. */
const limitText = (limit: number) => (limit === 0 ? 'No limit' : limit.toLocaleString('en-GB'));

const COLUMNS: Array<Column<TierRow>> = [
  { key: 'tier', header: 'Tier', text: (row) => tierName(row.tier), compare: (a, b) => a.limits.minute - b.limits.minute },
  { key: 'minute', header: 'Calls a minute', text: (row) => limitText(row.limits.minute), numeric: true },
  { key: 'hour', header: 'Calls an hour', text: (row) => limitText(row.limits.hour), numeric: true },
  { key: 'day', header: 'Calls a day', text: (row) => limitText(row.limits.day), numeric: true },
  { key: 'users', header: 'Users on it', text: (row) => String(row.users), numeric: true },
  { key: 'keys', header: 'API keys on it', text: (row) => String(row.apiKeys), numeric: true },
];

export default function TiersPage() {
  const query = useQuery({ ...tiersQuery(), select: (answer) => answer.items });
  return (
    <section aria-labelledby="tiers-title">
      <h2 id="tiers-title">Rate-limit tiers</h2>
      <p className="muted">
        How many calls each caller may make. A user&apos;s calls count against their tier; a key&apos;s against the key&apos;s own. Change a
        user&apos;s tier on Platform users; a new key takes the tier chosen when it is created.
      </p>
      <QueryTable
        query={query}
        loading="Loading tiers…"
        caption="Rate-limit tiers"
        columns={COLUMNS}
        rowKey={(row) => row.tier}
        exportName="rate-limit-tiers"
        empty="No tiers."
      />
    </section>
  );
}
