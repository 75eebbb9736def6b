import { Type, type Static } from '@sinclair/typebox';
import { LABEL_TABLES } from '@tributary/contracts/labels';

/**
 * The bridge's WebSocket protocol, shared with the kiosk page: every frame is one JSON object
 * with a `type`. The page validates what it receives against BridgeEvent; the bridge refuses
 * any command that does not match BridgeCommand, and changes nothing when it does.
 */

/** Where the kiosk page connects: `ws://127.0.0.1:4100/devices/ws` unless configured otherwise. */
export const BRIDGE_WS_PATH = '/devices/ws';
export const DEFAULT_DEVICES_PORT = 4100;
export const DEFAULT_BRIDGE_URL = `ws://127.0.0.1:${DEFAULT_DEVICES_PORT}${BRIDGE_WS_PATH}`;

export const DEVICE_NAMES = ['scale', 'scanner', 'button', 'printer'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];

/** `absent`: not configured on this kiosk; `disconnected`: configured but not answering (yet). */
export const DeviceState = Type.Union([Type.Literal('connected'), Type.Literal('disconnected'), Type.Literal('absent')]);
export type DeviceState = Static<typeof DeviceState>;

export const DeviceStates = Type.Object({ scale: DeviceState, scanner: DeviceState, button: DeviceState, printer: DeviceState });
export type DeviceStates = Static<typeof DeviceStates>;

const Kg = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: 'kilograms, exact, two places' });

export const ScaleEvent = Type.Object({
  type: Type.Literal('scale'),
  /** null while the indicator shows an over/under-range marker instead of a weight. */
  kg: Type.Union([Kg, Type.Null()]),
  stable: Type.Boolean(),
  overload: Type.Boolean(),
  underload: Type.Boolean(),
});

export const ScanEventMessage = Type.Object({
  type: Type.Literal('scan'),
  code: Type.String(),
  table: Type.Optional(Type.Union(LABEL_TABLES.map((table) => Type.Literal(table)))),
  barcode: Type.Optional(Type.String()),
});

export const ButtonEvent = Type.Object({
  type: Type.Literal('button'),
  action: Type.Union([Type.Literal('BAG_ACCEPT'), Type.Literal('BAG_DISPATCH')]),
});

/** Sent on connect (the current picture) and whenever a device comes or goes. */
export const DevicesEvent = Type.Object({
  type: Type.Literal('devices'),
  devices: DeviceStates,
  /** The last scale reading, so a page that (re)connects shows a weight before the next frame. */
  scale: Type.Union([Type.Omit(ScaleEvent, ['type']), Type.Null()]),
});

/** The answer to a command that carried an `id`. */
export const DoneEvent = Type.Object({ type: Type.Literal('done'), id: Type.String() });

export const ErrorEvent = Type.Object({
  type: Type.Literal('error'),
  id: Type.Optional(Type.String()),
  code: Type.Union([Type.Literal('BAD_COMMAND'), Type.Literal('DEVICE_ABSENT'), Type.Literal('DEVICE_FAILED')]),
  message: Type.String(),
});

export const BridgeEvent = Type.Union([ScaleEvent, ScanEventMessage, ButtonEvent, DevicesEvent, DoneEvent, ErrorEvent]);
export type BridgeEvent = Static<typeof BridgeEvent>;

const Weight = Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,2})?$', description: 'kilograms, at most 999.99' });
const Text = Type.String({ maxLength: 200 });
const Id = Type.Optional(Type.String({ minLength: 1, maxLength: 100 }));

/** A bag to print from its record (what `POST /app/<table>/record` answered plus the lot's fields). */
export const LabelInput = Type.Object(
  {
    table: Type.Union(LABEL_TABLES.map((table) => Type.Literal(table))),
    barcode: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
    item_code: Text,
    id: Type.Integer({ minimum: 1 }),
    received_ts: Type.Integer({ minimum: 0, description: 'epoch ms (UTC); printed in the plant zone' }),
    store_location: Text,
    gross_weight: Weight,
    bag_weight: Weight,
    garden: Type.Optional(Text),
    broker: Type.Optional(Text),
    transfer_id: Type.Optional(Text),
    blendsheet_no: Type.Optional(Text),
    flavorsheet_no: Type.Optional(Text),
    item_name: Type.Optional(Text),
    reference: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type LabelInput = Static<typeof LabelInput>;

/** Raw ZPL (a label the page already has, e.g. from `GET /app/label?format=zpl`, or a reprint). */
export const PrintZplCommand = Type.Object(
  { type: Type.Literal('print'), id: Id, zpl: Type.String({ minLength: 6, maxLength: 65_536, pattern: '^\\s*\\^XA[\\s\\S]*\\^XZ\\s*$' }) },
  { additionalProperties: false },
);

/** A label the bridge renders itself (§7.1), so the kiosk prints even while the services are away. */
export const PrintLabelCommand = Type.Object({ type: Type.Literal('print'), id: Id, label: LabelInput }, { additionalProperties: false });

/** The page's verdict on the bag the button asked for: lights the box's LED (BAG_OK / BAG_NOT_OK). */
export const BagResultCommand = Type.Object(
  { type: Type.Literal('bag-result'), id: Id, ok: Type.Boolean() },
  { additionalProperties: false },
);

export const BridgeCommand = Type.Union([PrintZplCommand, PrintLabelCommand, BagResultCommand]);
export type BridgeCommand = Static<typeof BridgeCommand>;
