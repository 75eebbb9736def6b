export * from './protocol/index.js';
export * from './messages.js';
export { parseCommand, renderLabel } from './commands.js';
export { loadDevicesConfig, DevicesConfigSchema, DEFAULT_ALLOWED_ORIGINS, type DevicesConfig } from './config.js';
export { startDeviceBridge, type DeviceBridge } from './bridge/index.js';
export { sendRawJob, parseTcpTarget, RAW_PRINT_PORT } from './transports/tcp-printer.js';
export { listSerialPorts, DEFAULT_BAUD_RATE } from './transports/serial-line.js';
