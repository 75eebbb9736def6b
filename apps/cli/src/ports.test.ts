import { describe, expect, it } from 'vitest';
import { servicePort, serviceUrl } from './ports.js';

describe('where the local platform listens', () => {
  it('<NAME>_PORT moves a service for up and for the commands that call it', () => {
    expect(servicePort('orders', 4001, {})).toBe(4001);
    expect(servicePort('orders', 4001, { ORDERS_PORT: '5101' })).toBe(5101);
    expect(serviceUrl('processing', 4002, { PROCESSING_PORT: '5102', ORDERS_PORT: '5101' })).toBe('http://127.0.0.1:5102');
  });

  it('<NAME>_URL (a platform elsewhere) wins over the port', () => {
    expect(serviceUrl('orders', 4001, { ORDERS_URL: 'https://orders.plant:8443', ORDERS_PORT: '5101' })).toBe('https://orders.plant:8443');
  });
});
