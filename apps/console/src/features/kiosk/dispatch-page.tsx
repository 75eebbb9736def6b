import '../../ui/kiosk.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { readyShipmentsQuery } from '../../api/kiosk';
import { formatKg } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';
import { CartPanel } from './cart-panel';
import { openShipments, shipmentKeyOf, stillNeeded, type Cart } from './dispatch-cart';
import { DeviceStrip } from './device-strip';
import { OutcomePanel, speak, type Outcome } from './outcome';
import { Picker } from './picker';
import { answerButtonBox, useBridgeEvent } from './use-bridge';

/**
 * Dispatch (§6.5): shipments ready to load, each with what the cart still needs; scan its bags,
 * enter the vehicle, dispatch (or press the button box's dispatch key). The cart is kept per
 * shipment while the page is open.
 */
export default function DispatchPage() {
  const shipments = useQuery(readyShipmentsQuery());
  const [cart, setCart] = useState<Cart>({});
  const [selected, setSelected] = useState<string>();
  const [dispatched, setDispatched] = useState<Outcome>();
  const current = shipments.data?.find((shipment) => shipmentKeyOf(shipment) === selected);
  const open = openShipments(shipments.data ?? [], cart);

  // With a shipment picked, its cart answers the box; before that there is nothing to dispatch.
  useBridgeEvent('button', (event) => {
    if (event.action !== 'BAG_DISPATCH' || current) return;
    answerButtonBox(false);
    const sentence = 'Pick a shipment first.';
    speak(sentence);
    setDispatched({ ok: false, message: { sentence } });
  });

  return (
    <section className="kiosk" aria-labelledby="dispatch-title">
      <h2 id="dispatch-title">Dispatch</h2>
      <DeviceStrip />
      <OutcomePanel outcome={dispatched} />
      <h3>1. Shipment</h3>
      {shipments.isPending && <p role="status">Loading shipments…</p>}
      {shipments.isError && <ErrorPanel error={shipments.error} onRetry={() => void shipments.refetch()} />}
      {shipments.isSuccess && open.length === 0 && <p className="panel">No shipment is ready to load.</p>}
      <Picker
        label="Shipments ready to load"
        items={open}
        itemKey={shipmentKeyOf}
        name={(item) => `Shipment ${shipmentKeyOf(item)} · ${item.product_name}`}
        selected={selected}
        onPick={(item) => {
          setSelected(shipmentKeyOf(item));
          setDispatched(undefined);
        }}
        detail={(item) => `${formatKg(item.quantity)}, still to load ${formatKg(stillNeeded(item, cart))}`}
      />
      <h3>2. Bags and vehicle</h3>
      {current ? (
        <CartPanel
          key={selected}
          shipment={current}
          cart={cart}
          onCartChange={(bags) => setCart((previous) => ({ ...previous, [shipmentKeyOf(current)]: bags }))}
          onDispatched={(text) => {
            setSelected(undefined);
            setDispatched({ ok: true, text });
          }}
        />
      ) : (
        <p className="panel">Pick a shipment first.</p>
      )}
    </section>
  );
}
