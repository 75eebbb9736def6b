import { formatKg } from '../../lib/format';
import type { Scale } from './use-scale';

function readingText(scale: Scale): { weight: string; state: string } {
  const reading = scale.reading;
  if (!scale.connected && !scale.locked) return { weight: '—', state: 'Scale not connected' };
  if (!reading) return { weight: '—', state: 'Waiting for the scale' };
  if (reading.overload) return { weight: 'Over range', state: 'Too heavy for the scale' };
  if (reading.underload) return { weight: 'Under range', state: 'Below zero: zero the scale' };
  return { weight: formatKg(reading.kg), state: scale.locked ? 'Locked' : reading.stable ? 'Stable' : 'Moving' };
}

/** The live gross weight, big, with its state in words (never colour alone), and the lock. */
export function ScalePanel({ scale }: { scale: Scale }) {
  const { weight, state } = readingText(scale);
  return (
    <section className="scale-panel" aria-label="Scale" data-state={scale.locked ? 'locked' : scale.gross ? 'stable' : 'moving'}>
      <output className="scale-weight" aria-live="polite" aria-label="Gross weight">
        {weight}
      </output>
      <p className="scale-state">{state}</p>
      {scale.locked ? (
        <button type="button" className="secondary big" onClick={scale.unlock}>
          Unlock scale
        </button>
      ) : (
        <button type="button" className="secondary big" onClick={scale.lock} disabled={!scale.gross}>
          Lock weight
        </button>
      )}
    </section>
  );
}
