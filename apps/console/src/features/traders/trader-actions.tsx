import { useChangeTraderStatus, type TraderBatch } from '../../api/traders';
import { movesFor, traderStatusLabel } from '../../config/trader';
import { useSession } from '../../lib/session';

/** The moves the user's group may make on this batch, one button each; none for anyone else. */
interface TraderActionsProps {
  batch: TraderBatch;
  /** One mutation for the whole table, so a second click anywhere waits for the first answer. */
  change: ReturnType<typeof useChangeTraderStatus>;
  onDone: (said: string) => void;
}

export function TraderActions({ batch, change, onDone }: TraderActionsProps) {
  const role = useSession().user?.role;
  const moves = movesFor(role, batch.trader_status);
  if (moves.length === 0) return null;
  return (
    <div className="row">
      {moves.map((move) => (
        <button
          key={move.to}
          type="button"
          className={move.to === 'TRADER_BLOCKED' ? 'danger' : move.to === 'TRADER_ELEVATED' ? 'secondary' : undefined}
          aria-label={`${move.verb}, batch ${batch.item_code}`}
          disabled={change.isPending}
          onClick={() =>
            change.mutate(
              { item_code: batch.item_code, created_ts: batch.created_ts, trader_status: move.to },
              { onSuccess: () => onDone(`Batch ${batch.item_code}: ${traderStatusLabel(move.to)}.`) },
            )
          }
        >
          {move.verb}
        </button>
      ))}
    </div>
  );
}
