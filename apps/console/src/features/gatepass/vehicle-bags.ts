import { useQueries } from '@tanstack/react-query';
import type { ShipmentRow } from '../../api/orders';
import { shipmentBagsQuery } from '../../api/records';
import type { VehicleBag } from './bag-scan';

/** Every bag of every shipment on the vehicle, each with its shipment, as one list. */
export function useVehicleBags(shipments: readonly ShipmentRow[]) {
  return useQueries({
    queries: shipments.map((shipment) => shipmentBagsQuery({ request_code: shipment.request_code, shipment_code: shipment.shipment_code })),
    combine: (results) => ({
      bags: results.flatMap((result, index): VehicleBag[] =>
        (result.data ?? []).map((bag) => ({
          ...bag,
          request_code: shipments[index]!.request_code,
          shipment_code: shipments[index]!.shipment_code,
        })),
      ),
      pending: results.some((result) => result.isPending),
      error: results.find((result) => result.isError)?.error,
      refetch: () => results.forEach((result) => void result.refetch()),
    }),
  });
}
