/** The wire schemas of shipments are the contract's: processing compiles against the same ones. */
export {
  CodeIn,
  EventBody,
  EventOut,
  EventResultOut,
  ShipmentChangeBody,
  ShipmentChangeOut,
  ShipmentCodeIn,
  ShipmentOut,
  StatusSchema,
} from '@tributary/contracts';
