/** Default ports of the embedded platform (each overridable with <SERVICE>_PORT). */
export const DEFAULT_PORTS = {
  gateway: 8080,
  orders: 4001,
  processing: 4002,
  erp: 4003,
  sync: 4004,
} as const;
