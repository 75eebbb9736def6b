import type { ReadyShipment, ShippableTable } from '../../api/kiosk';
import { grams, kgOf } from './grams';

export interface CartBag {
  table_name: ShippableTable;
  barcode: string;
  name: string;
  /** kg taken from the bag for this shipment. */
  amount: string;
}

/** The cart: scanned bags per shipment (`request/shipment`), kept until dispatched. */
export type Cart = Record<string, CartBag[]>;

export const shipmentKeyOf = (shipment: Pick<ReadyShipment, 'request_code' | 'shipment_code'>) =>
  `${shipment.request_code}/${shipment.shipment_code}`;

/** §6.5: cart_qty is Σ of what the cart already holds for the shipment. */
export function cartGrams(cart: Cart, key: string): bigint {
  return (cart[key] ?? []).reduce((sum, bag) => sum + grams(bag.amount), 0n);
}

/** Only shipments the cart does not yet fill are offered (cart_qty < quantity). */
export function openShipments(shipments: readonly ReadyShipment[], cart: Cart): ReadyShipment[] {
  return shipments.filter((shipment) => cartGrams(cart, shipmentKeyOf(shipment)) < grams(shipment.quantity));
}

/** The default to ship now: what the shipment still needs (quantity − cart_qty). */
export function stillNeeded(shipment: ReadyShipment, cart: Cart): string {
  return kgOf(grams(shipment.quantity) - cartGrams(cart, shipmentKeyOf(shipment)));
}

/** What a scanned bag gives the shipment: all that is left of it, but never more than is still needed. */
export function takeFromBag(remaining: string, needed: bigint): string {
  const left = grams(remaining);
  return kgOf(left < needed ? left : needed);
}

export function inCart(cart: Cart, barcode: string): boolean {
  return Object.values(cart).some((bags) => bags.some((bag) => bag.barcode === barcode));
}
