import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { LabelInput } from '@tributary/devices/messages';
import { locationsQuery } from '../../api/kiosk';
import { sendCommand } from '../../lib/bridge';
import { compareDecimal } from '../../lib/format';
import { Field } from '../../ui/field';
import { OutcomePanel, useOutcome } from './outcome';
import { ScalePanel } from './scale-panel';
import { answerButtonBox, useBridgeEvent } from './use-bridge';
import { useScale } from './use-scale';

export interface Weighed {
  gross_weight: string;
  bag_weight: string;
  store_location: string;
  reference: string;
}

interface WeighFormProps {
  /** Herbline bags go to herbline-section locations and carry the supplier's reference. */
  herbline: boolean;
  /** Records the bag and answers the label to print; refusals are thrown. */
  record: (bag: Weighed) => Promise<LabelInput>;
  /** What was weighed, for the success line ("Bag 4 of T240225"). */
  describe: (label: LabelInput) => string;
}

const TARE = /^\d{1,3}(\.\d{1,2})?$/;

/**
 * Weigh, record, label: the same on the Accept page and for a batch's output bags. The click and
 * the button box's BAG_ACCEPT take the same path; the box's LED gets BAG_OK or BAG_NOT_OK, and a
 * refusal is shown and said aloud.
 */
export function WeighForm({ herbline, record, describe }: WeighFormProps) {
  const scale = useScale();
  const locations = useQuery(locationsQuery(herbline));
  const [tare, setTare] = useState('');
  const [location, setLocation] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  // Two presses in one burst must not record two bags: the guard cannot wait for a re-render.
  const inFlight = useRef(false);
  const { outcome, succeed, refuse: say, fail } = useOutcome();

  /** A local refusal: nothing went to the server. */
  function problem(): string | null {
    if (!scale.gross)
      return scale.connected || scale.locked ? 'The scale is not steady yet. Wait for a stable weight.' : 'Scale not connected.';
    if (!TARE.test(tare.trim())) return 'Type the bag weight (tare) in kg, e.g. 1.25.';
    if (compareDecimal(tare.trim(), scale.gross) >= 0) return 'The bag weight must be below the gross weight.';
    if (!location) return 'Pick a store location.';
    if (herbline && !reference.trim()) return 'Type the supplier reference of this herbal bag.';
    return null;
  }

  async function accept() {
    if (inFlight.current) return;
    const refused = problem();
    if (refused) return refuse(refused);
    inFlight.current = true;
    setBusy(true);
    try {
      const label = await record({
        gross_weight: scale.gross!,
        bag_weight: tare.trim(),
        store_location: location,
        reference: reference.trim(),
      });
      const printed = await sendCommand({ type: 'print', label }).then(
        () => 'label printed',
        (error: Error) => `the label did not print (${error.message})`,
      );
      answerButtonBox(true);
      scale.unlock();
      succeed(`Accepted: ${describe(label)}, ${printed}.`);
    } catch (error) {
      answerButtonBox(false);
      fail(error);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  /** A local refusal also lights the box's LED red when the box asked. */
  function refuse(sentence: string) {
    answerButtonBox(false);
    say(sentence);
  }

  useBridgeEvent('button', (event) => {
    if (event.action === 'BAG_ACCEPT') void accept();
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void accept();
  }

  return (
    <form className="weigh" aria-label="Weigh a bag" onSubmit={submit}>
      <ScalePanel scale={scale} />
      <div className="weigh-fields">
        <Field label="Bag weight (tare, kg)">
          <input inputMode="decimal" value={tare} onChange={(event) => setTare(event.target.value)} autoComplete="off" />
        </Field>
        <Field label="Store location">
          <select value={location} onChange={(event) => setLocation(event.target.value)}>
            <option value="">Pick a location</option>
            {(locations.data ?? []).map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </Field>
        {herbline && (
          <Field label="Supplier reference">
            <input value={reference} onChange={(event) => setReference(event.target.value)} autoComplete="off" />
          </Field>
        )}
        <button type="submit" className="big primary-action" disabled={busy}>
          Accept bag
        </button>
      </div>
      <OutcomePanel outcome={outcome} />
    </form>
  );
}
