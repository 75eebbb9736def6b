import { listSerialPorts, loadDevicesConfig, startDeviceBridge } from '@tributary/devices';
import { configOrExit, type Logger } from '@tributary/platform/core';

export interface DevicesCommandOptions {
  /** JSON file with DEVICES_* settings; the environment overrides it. */
  config?: string;
  env: Record<string, string | undefined>;
  logger: Logger;
}

/**
 * `tributary devices`: the bridge between the kiosk page and the serial devices, until SIGINT
 * or SIGTERM, which close the page connections and the ports before exiting 0.
 */
export async function devicesCommand(options: DevicesCommandOptions): Promise<void> {
  const config = configOrExit(() => loadDevicesConfig(options.env, options.config));
  const bridge = await startDeviceBridge(config, options.logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal means now
    stopping = true;
    options.logger.info({ signal }, 'stopping the device bridge');
    await bridge.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `tributary devices --list`: the serial ports present, one a line, to fill DEVICES_*_PORT from. */
export async function listPortsCommand(): Promise<string> {
  const ports = await listSerialPorts();
  if (ports.length === 0) return 'no serial ports found\n';
  return ports.map((port) => [port.path, port.manufacturer, port.serialNumber].filter(Boolean).join('  ')).join('\n') + '\n';
}
