import { useRef, useState, type FormEvent } from 'react';
import { field, scanBag, useDispatch, type ReadyShipment, type ShippableTable } from '../../api/kiosk';
import { formatKg } from '../../lib/format';
import { Field } from '../../ui/field';
import { cartGrams, inCart, shipmentKeyOf, takeFromBag, type Cart, type CartBag } from './dispatch-cart';
import { grams, isKg, kgOf } from './grams';
import { sentenceFor, unknownCodeSentence, unusableBagSentence } from './operator-errors';
import { useOutcome } from './outcome';
import type { Scanned } from './scan-input';
import { ScanStation } from './scan-station';
import { answerButtonBox, useBridgeEvent } from './use-bridge';

const SHIPPABLE = new Set<string>(['tealine', 'blendsheet', 'flavorsheet'] satisfies ShippableTable[]);

interface CartPanelProps {
  shipment: ReadyShipment;
  cart: Cart;
  onCartChange: (bags: CartBag[]) => void;
  /** Told once the shipment has left: the page says so after this panel has gone with it. */
  onDispatched: (text: string) => void;
}

/**
 * §6.5 steps 3–6 for one shipment: scanned bags checked and added (at most what the shipment
 * still needs), the vehicle number, and the dispatch. A cart short of the quantity is shipped
 * as it is; the rest is split off as a new shipment by the same call.
 */
export function CartPanel({ shipment, cart, onCartChange, onDispatched }: CartPanelProps) {
  const dispatch = useDispatch();
  const key = shipmentKeyOf(shipment);
  const bags = cart[key] ?? [];
  const [shipNow, setShipNow] = useState(() => kgOf(grams(shipment.quantity) - cartGrams(cart, key)));
  const [vehicle, setVehicle] = useState('');
  const { outcome, succeed, refuse, fail } = useOutcome();
  // One key per cart content: a retry of the same cart is the same dispatch, a changed cart a new one.
  const [dispatchKey, setDispatchKey] = useState(() => crypto.randomUUID());
  const total = cartGrams(cart, key);
  // A second press while the first dispatch is on its way must not send the cart twice.
  const inFlight = useRef(false);

  function change(next: CartBag[]) {
    setDispatchKey(crypto.randomUUID());
    onCartChange(next);
  }

  async function onScan(scanned: Scanned) {
    if ('unknown' in scanned) return refuse(unknownCodeSentence(scanned.unknown));
    const { table, barcode } = scanned;
    if (!SHIPPABLE.has(table)) return refuse(`A ${table} bag is not shipped to Grandpass.`);
    if (inCart(cart, barcode)) return refuse('This bag is already in the cart.');
    try {
      const bag = await scanBag(table, barcode);
      const name = `bag ${field(bag, 'id')} of ${field(bag, 'item_code')}`;
      const unusable = unusableBagSentence(bag.status);
      if (unusable) return refuse(`The ${name}: ${unusable}`);
      const trader = field(bag, 'trader_status');
      if (table === 'blendsheet' && trader !== 'TRADER_ALLOWED')
        return refuse(sentenceFor(trader === 'TRADER_BLOCKED' ? 'BATCH_TRADER_BLOCKED' : 'BATCH_NOT_TRADER_ALLOWED'));
      const needed = (isKg(shipNow) ? grams(shipNow) : grams(shipment.quantity)) - total;
      if (needed <= 0n) return refuse('The cart already holds what this shipment needs. Dispatch it.');
      const amount = takeFromBag(bag.remaining, needed);
      change([...bags, { table_name: table as ShippableTable, barcode, name, amount }]);
      succeed(`Added the ${name}: ${formatKg(amount)}.`);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * The page's main action, by the Dispatch button, Enter in the vehicle field or the button
   * box's dispatch key (§7.2 BAG_DISPATCH); the box's LED gets BAG_OK or BAG_NOT_OK.
   */
  async function dispatchCart(): Promise<void> {
    if (inFlight.current) return;
    const refused = bags.length === 0 ? 'Scan the bags first.' : !vehicle.trim() ? 'Type the vehicle number.' : null;
    if (refused) {
      answerButtonBox(false);
      return refuse(refused);
    }
    inFlight.current = true;
    const { request_code, shipment_code } = shipment;
    try {
      const result = await dispatch.mutateAsync({
        key: dispatchKey,
        request_code,
        shipment_code,
        shipment_vehicle: vehicle.trim(),
        bags: bags.map(({ table_name, barcode, amount }) => ({ table_name, barcode, amount })),
      });
      answerButtonBox(true);
      const rest = result.split
        ? ` The rest, ${formatKg(result.split.quantity)}, is now shipment ${request_code}/${result.split.shipment_code}.`
        : '';
      const count = bags.length === 1 ? '1 bag' : `${bags.length} bags`;
      change([]);
      onDispatched(`Shipment ${key} dispatched on ${result.shipment_vehicle}: ${count}, ${formatKg(result.quantity)}.${rest}`);
    } catch (error) {
      answerButtonBox(false);
      fail(error);
    } finally {
      inFlight.current = false;
    }
  }

  useBridgeEvent('button', (event) => {
    if (event.action === 'BAG_DISPATCH') void dispatchCart();
  });

  function send(event: FormEvent) {
    event.preventDefault();
    void dispatchCart();
  }

  const short = total > 0n && total < grams(shipment.quantity);
  return (
    <section className="panel" aria-labelledby="cart-title">
      <h3 id="cart-title">
        Shipment {key}: {shipment.product_name}
      </h3>
      <p>
        Quantity {formatKg(shipment.quantity)}, in the cart {formatKg(kgOf(total))}.
      </p>
      <Field label="Ship now (kg)" hint="What to load now; the cart takes no more than this.">
        <input inputMode="decimal" value={shipNow} onChange={(event) => setShipNow(event.target.value)} autoComplete="off" />
      </Field>
      <ScanStation
        scanLabel="Scan a bag for this shipment"
        listLabel="Bags in the cart"
        onScan={onScan}
        outcome={outcome}
        bags={bags}
        onRemove={(bag) => change(bags.filter((other) => other.barcode !== bag.barcode))}
      />
      {short && (
        <p className="muted">
          The cart is short of the shipment: dispatching sends {formatKg(kgOf(total))} and the rest,{' '}
          {formatKg(kgOf(grams(shipment.quantity) - total))}, becomes a new shipment.
        </p>
      )}
      <form className="row" onSubmit={send} aria-label="Dispatch">
        <Field label="Vehicle number">
          <input value={vehicle} onChange={(event) => setVehicle(event.target.value)} autoComplete="off" />
        </Field>
        <button type="submit" className="big" disabled={dispatch.isPending}>
          Dispatch
        </button>
      </form>
    </section>
  );
}
