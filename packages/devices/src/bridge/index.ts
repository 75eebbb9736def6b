export { startDeviceBridge, BRIDGE_WS_PATH, type DeviceBridge } from './server.js';
export { openDeviceHub, DeviceAbsentError, type DeviceHub } from './hub.js';
