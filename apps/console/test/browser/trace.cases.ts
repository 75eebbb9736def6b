import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { apiAs, expectAccessible, openPage, pageAs, type ConsoleRig } from './harness.js';
import { acceptedFlow } from './mtp-seed.js';
import { trace, traceSide } from './page-steps.js';
import { screenshot } from './screenshots.js';

export function traceCases(rig: () => ConsoleRig): void {
  it('traces a lot up to its garden and down to vehicles, and downloads its recall report', async () => {
    const flow = await acceptedFlow(rig());
    const { context, page } = await pageAs(rig(), 'GRANDPASS-OFFICER');
    try {
      await openPage(page, 'Traceability');
      await trace(page, flow.lot);
      const found = await traceSide(page, 'Found').textContent();
      expect(found).toContain(`tealine lot ${flow.lot}`);
      expect(found).toContain('Garden: Kenilworth');
      const up = (await traceSide(page, 'Where it came from').textContent()) ?? '';
      for (const origin of ['garden Kenilworth', 'broker Asia Siyaka', 'invoice INV-UI-0601']) expect(up).toContain(origin);
      const down = (await traceSide(page, 'Where it went').textContent()) ?? '';
      expect(down).toContain(`vehicle ${flow.vehicle}`);
      for (const code of flow.requests) expect(down).toContain(`shipment ${code}/1`);
      expect(down).toContain('Received at Grandpass');
      await expectAccessible(page, 'traceability of a lot');
      await screenshot(page, 'traceability');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download recall report (CSV)' }).click();
      const csv = await readFile((await (await download).path())!, 'utf8');
      const fromServer = await (
        await apiAs(rig(), 'grandpass-officer')
      ).call('GET', `/api/v1/processing/app/trace/${encodeURIComponent(flow.lot)}/recall?format=csv`);
      expect(csv).toBe(`\ufeff${await fromServer.text()}`);
      const lines = csv.slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toMatch(/^request_code,shipment_code,/);
      expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(flow.requests.map(String)));

      // A scanned output bag: its lot is up the chain; choosing the vehicle traces from there.
      await trace(page, flow.labels[1]!);
      expect(await traceSide(page, 'Where it came from').textContent()).toContain(`tealine lot ${flow.lot}`);
      await traceSide(page, 'Where it went')
        .getByRole('button', { name: `vehicle ${flow.vehicle}` })
        .click();
      await page.getByText(`Traced vehicle:${flow.vehicle}:`).waitFor();

      await page.getByLabel('Barcode or lot code').fill('NO-SUCH-LOT-42');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/TRACE_CODE_NOT_FOUND/);
    } finally {
      await context.close();
    }
    // The gate has no trace page, and the gateway refuses it the API as well.
    const gatepass = await apiAs(rig(), 'grandpass-gatepass');
    expect((await gatepass.call('GET', `/api/v1/processing/app/trace/${encodeURIComponent(flow.lot)}`)).status).toBe(403);
  }, 240_000);
}
