import { useState, type FormEvent } from 'react';
import { DEVICE_NAMES, type DeviceName, type DeviceState } from '@tributary/devices/messages';
import { setBridgeUrl } from '../../lib/bridge';
import { Field } from '../../ui/field';
import { useBridge } from './use-bridge';

const DEVICE_LABELS: Record<DeviceName, string> = { scale: 'Scale', scanner: 'Scanner', button: 'Button box', printer: 'Label printer' };
const STATE_LABELS: Record<DeviceState, string> = { connected: 'connected', disconnected: 'not answering', absent: 'not set up' };

/**
 * The kiosk's devices at a glance, in words as well as colour: the bridge link first (without it
 * every device is unknown), then each device. The bridge's address can be changed here; it is
 * kept on this PC.
 */
export function DeviceStrip() {
  const bridge = useBridge();
  const [address, setAddress] = useState(bridge.url);
  const link = bridge.link === 'open' ? 'connected' : bridge.link === 'connecting' ? 'connecting…' : 'not connected';

  function save(event: FormEvent) {
    event.preventDefault();
    setBridgeUrl(address.trim());
  }

  return (
    <section className="device-strip" aria-label="Devices">
      <ul>
        <li data-state={bridge.link === 'open' ? 'connected' : 'disconnected'}>Device bridge: {link}</li>
        {DEVICE_NAMES.map((name) => {
          const state = bridge.devices?.[name];
          return (
            <li key={name} data-state={state ?? 'unknown'}>
              {DEVICE_LABELS[name]}: {state ? STATE_LABELS[state] : 'unknown'}
            </li>
          );
        })}
      </ul>
      {bridge.protocolProblem && (
        <p role="alert" className="error">
          The device bridge speaks another version of its protocol; update it. It sent: {bridge.protocolProblem}
        </p>
      )}
      <details>
        <summary>Bridge address</summary>
        <form className="row" onSubmit={save}>
          <Field label="Bridge address" hint="The device bridge on this kiosk, e.g. ws://127.0.0.1:4100/devices/ws">
            <input value={address} onChange={(event) => setAddress(event.target.value)} spellCheck={false} />
          </Field>
          <button type="submit" className="secondary">
            Connect
          </button>
        </form>
      </details>
    </section>
  );
}
