import { bagLabelZpl } from '@tributary/contracts/labels';
import { expect, it } from 'vitest';
import { planRow } from '../../../cli/src/commands/reconcile-mtp.support.js';
import { apiAs, expectAccessible, openPage, pageAs } from './harness.js';
import type { KioskRig } from './kiosk-rig.js';
import { buttonAnswers, connectBridge, pressAcceptButton, pressDispatchButton, printedJob, steadyWeight } from './kiosk-steps.js';
import { alert, status } from './page-steps.js';
import { screenshot } from './screenshots.js';

const LOT = 'T-KIOSK-01';
const SHEET = 'BS/2024/0192';
const ORDER = 'ORD-KIOSK-01';
const BALANCE = 'BB-KIOSK-01';

type Api = Awaited<ReturnType<typeof apiAs>>;
type Json = Record<string, unknown>;

async function json<T = Json>(api: Api, method: string, path: string, body?: unknown): Promise<T> {
  const response = await api.call(method, path, body);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The kiosk pages against a real bridge on serial pseudo-terminals: the test plays the scale,
 * scanner, button box and printer on the far ends of the lines and checks what the page shows,
 * what the services stored, and the bytes the bridge wrote back.
 */
export function kioskCases(rig: () => KioskRig): void {
  const bags: { first?: string; second?: string } = {};

  it('accepts tealine bags by the button box and by click, prints the §7.1 label and lights BAG_OK', async () => {
    const officer = await apiAs(rig(), 'seeduwa-officer');
    const lot = await json<{ created_ts: number }>(officer, 'POST', '/app/admin/tealine', {
      item_code: LOT,
      no_of_bags: 3,
      weight_per_bag: '50',
      garden: 'Pedro',
      broker: 'Forbes',
    });
    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await openPage(page, 'Accept bags');
      // The default address is not this rig's bridge: the page says so plainly and still loads.
      await page.getByRole('region', { name: 'Devices' }).getByText('Device bridge: not connected').waitFor();
      await page.getByRole('button', { name: `Tealine ${LOT}` }).click();
      await page.getByText('Scale not connected').waitFor();
      await connectBridge(page, rig().bridgeUrl);
      const scale = page.getByRole('region', { name: 'Scale' });
      await rig().peers.scale.send('\x02U  12.3\r\n');
      await scale.getByText('Moving').waitFor();
      expect(await scale.locator('output').textContent()).toBe('12.30 kg');
      expect(await page.getByRole('button', { name: 'Lock weight' }).isDisabled()).toBe(true);

      // A press while the weight moves is refused: BAG_NOT_OK on the box, the reason on screen.
      await page.getByLabel('Bag weight (tare, kg)').fill('1.25');
      await page.getByLabel('Store location').selectOption('SEEDUWA-STORE-A');
      await pressAcceptButton(rig());
      await alert(page, 'The scale is not steady yet');
      await rig().peers.button.until((bytes) => bytes.toString() === 'BAG_NOT_OK\r\n', 'BAG_NOT_OK on the button line');

      await rig().peers.scale.send('\x02S  51.25\r\n');
      await scale.getByText('Stable').waitFor();
      expect(await scale.locator('output').textContent()).toBe('51.25 kg');
      const printedBefore = rig().peers.printer.received().length;
      await pressAcceptButton(rig());
      await status(page, `Accepted: bag 1 of ${LOT}, label printed.`);
      await rig().peers.button.until((bytes) => bytes.toString() === 'BAG_NOT_OK\r\nBAG_OK\r\n', 'BAG_OK on the button line');

      const detail = await json<{ record_list: Json[] }>(officer, 'GET', `/app/tealine?item_code=${LOT}&created_ts=${lot.created_ts}`);
      expect(detail.record_list).toHaveLength(1);
      const record = detail.record_list[0]!;
      bags.first = String(record.barcode);
      expect(record).toMatchObject({ id: 1, store_location: 'SEEDUWA-STORE-A', gross_weight: '51.25', bag_weight: '1.25' });

      const zpl = await printedJob(rig(), printedBefore);
      expect(zpl).toBe(
        bagLabelZpl(
          {
            table: 'tealine',
            barcode: bags.first,
            item_code: LOT,
            id: 1,
            received_ts: Number(record.received_ts),
            store_location: 'SEEDUWA-STORE-A',
            gross_weight: '51.25',
            bag_weight: '1.25',
            net_weight: '50.00',
            garden: 'Pedro',
            broker: 'Forbes',
          },
          'Asia/Colombo',
        ),
      );
      expect(zpl).toContain('Net Weight: 50.00\\&Bag No: 1^FS');
      expect(zpl).toContain(`^BQN,2,5^FDQA,tealine:${bags.first}^FS\n^XZ`);
      // The processing service renders the same label from what it stored.
      const served = await officer.call('GET', `/app/label?table_name=tealine&barcode=${bags.first}&format=zpl`);
      expect(await served.text()).toBe(zpl);

      // By click, with the weight locked first.
      await rig().peers.scale.send('\x02S  50.85\r\n');
      await scale.locator('output').filter({ hasText: '50.85 kg' }).waitFor();
      await page.getByRole('button', { name: 'Lock weight' }).click();
      await scale.getByText('Locked').waitFor();
      await rig().peers.scale.send('\x02U  3.00\r\n');
      await page.getByLabel('Bag weight (tare, kg)').fill('1.15');
      const printedSecond = rig().peers.printer.received().length;
      await page.getByRole('button', { name: 'Accept bag' }).click();
      await status(page, `Accepted: bag 2 of ${LOT}, label printed.`);
      expect(await printedJob(rig(), printedSecond)).toContain('Gross Weight: 50.85\\&Bag Weight: 1.15\\&Net Weight: 49.70');
      const after = await json<{ record_list: Json[] }>(officer, 'GET', `/app/tealine?item_code=${LOT}&created_ts=${lot.created_ts}`);
      bags.second = String(after.record_list.find((row) => row.id === 2)?.barcode);
      expect(after.record_list.map((row) => row.gross_weight).sort()).toEqual(['50.85', '51.25']);

      await expectAccessible(page, 'kiosk accept');
      await screenshot(page, 'kiosk-accept');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('accepts a blend balance bag like a tealine bag, with its own §7.1 label', async () => {
    const officer = await apiAs(rig(), 'seeduwa-officer');
    const lot = await json<{ created_ts: number }>(officer, 'POST', '/app/admin/blendbalance', {
      item_code: BALANCE,
      blend_code: 'BL-KIOSK',
      transfer_id: 'TR-KIOSK-7',
      weight: '40',
    });
    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await openPage(page, 'Accept bags');
      await connectBridge(page, rig().bridgeUrl);
      const pick = page.getByRole('button', { name: `Blend balance ${BALANCE}` });
      expect(await pick.textContent()).toContain('Blend BL-KIOSK · 0.00 kg of 40.00 kg received');
      await pick.click();
      await steadyWeight(rig(), page, '20.50');
      await page.getByLabel('Bag weight (tare, kg)').fill('0.50');
      await page.getByLabel('Store location').selectOption('SEEDUWA-STORE-A');
      const printedBefore = rig().peers.printer.received().length;
      const answered = rig().peers.button.received().length;
      await pressAcceptButton(rig());
      await status(page, `Accepted: bag 1 of ${BALANCE}, label printed.`);
      await buttonAnswers(rig(), answered, ['BAG_OK']);

      const detail = await json<{ record_list: Json[] }>(
        officer,
        'GET',
        `/app/blendbalance?item_code=${BALANCE}&created_ts=${lot.created_ts}`,
      );
      expect(detail.record_list).toHaveLength(1);
      const record = detail.record_list[0]!;
      expect(record).toMatchObject({ id: 1, store_location: 'SEEDUWA-STORE-A', gross_weight: '20.50', bag_weight: '0.50' });
      const zpl = await printedJob(rig(), printedBefore);
      expect(zpl).toBe(
        bagLabelZpl(
          {
            table: 'blendbalance',
            barcode: String(record.barcode),
            item_code: BALANCE,
            id: 1,
            received_ts: Number(record.received_ts),
            store_location: 'SEEDUWA-STORE-A',
            gross_weight: '20.50',
            bag_weight: '0.50',
            net_weight: '20.00',
            transfer_id: 'TR-KIOSK-7',
          },
          'Asia/Colombo',
        ),
      );
      expect(zpl).toContain(`Transfer ID: TR-KIOSK-7\\&Blend Balance No: ${BALANCE}`);
      expect(zpl).toContain(`^FDQA,blendbalance:${String(record.barcode)}^FS`);
      // The lot stays offered until its expected weight is in, with what it has so far.
      await page
        .getByRole('button', { name: `Blend balance ${BALANCE}` })
        .filter({ hasText: '20.00 kg of 40.00 kg' })
        .waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);

  it('runs a batch: a scanned ingredient is taken, a reused bag is refused in words, output bags are labelled, QC saved', async () => {
    const officer = await apiAs(rig(), 'seeduwa-officer');
    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await openPage(page, 'Process');
      await connectBridge(page, rig().bridgeUrl);
      await page.getByRole('button', { name: `Blendsheet ${SHEET}` }).click();
      await page.getByRole('button', { name: `Start a batch of ${SHEET}` }).click();
      const started = await status(page, /Batch .* started\./);
      const batch = /Batch (\S+) started/.exec(started)![1]!;

      // Part of a bag: the field offers all that is left; more than that, or a third decimal, is refused.
      await rig().peers.scanner.send(`tealine:${bags.first}\r\n`);
      await status(page, `The bag 1 of ${LOT} has 50.00 kg left.`);
      const used = page.getByLabel('Kg used from this bag');
      expect(await used.inputValue()).toBe('50.00');
      await used.fill('50.01');
      await used.press('Enter');
      await alert(page, `The bag 1 of ${LOT} has only 50.00 kg left.`);
      await used.fill('30.255');
      await page.getByRole('button', { name: 'Add to batch' }).click();
      await alert(page, 'Type the kg used from the bag, with at most two decimals');
      await used.fill('30.25');
      await used.press('Enter');
      await status(page, `Added the bag 1 of ${LOT} (30.25 kg) to batch ${batch}.`);
      await page.getByRole('list', { name: 'Ingredients in this batch' }).getByText(`bag 1 of ${LOT}: 30.25 kg`).waitFor();
      const scanned = await json<Json>(officer, 'GET', `/app/scan?table_name=tealine&barcode=${bags.first}`);
      expect(scanned).toMatchObject({ allocated: '30.25', remaining: '19.75', status: 'IN_PROCESS' });

      await rig().peers.scanner.send(`tealine:${bags.first}\r\n`);
      await alert(page, `The bag 1 of ${LOT} is already used in batch ${batch}.`);
      // Typed by keyboard, the same check: a code that is no label is refused as such.
      await page.getByLabel('Bag code').fill('BS/2024/0192');
      await page.getByLabel('Bag code').press('Enter');
      await alert(page, '"BS/2024/0192" is not a bag label.');

      await rig().peers.scale.send('\x02S  25.50\r\n');
      const scale = page.getByRole('region', { name: 'Scale' });
      await scale.locator('output').filter({ hasText: '25.50 kg' }).waitFor();
      await page.getByLabel('Bag weight (tare, kg)').fill('0.25');
      await page.getByLabel('Store location').selectOption('SEEDUWA-STORE-B');
      const printedBefore = rig().peers.printer.received().length;
      await page.getByRole('button', { name: 'Accept bag' }).click();
      await status(page, `Accepted: output bag 1 of batch ${batch}, label printed.`);
      const zpl = await printedJob(rig(), printedBefore);
      const created = await batchCreated(officer, batch);
      const output = await json<{ record_list: Json[] }>(
        officer,
        'GET',
        `/app/blendsheet/batch?item_code=${encodeURIComponent(batch)}&created_ts=${created}`,
      );
      const bag = output.record_list[0]!;
      expect(bag).toMatchObject({ gross_weight: '25.50', bag_weight: '0.25', store_location: 'SEEDUWA-STORE-B' });
      expect(zpl).toBe(
        bagLabelZpl(
          {
            table: 'blendsheet',
            barcode: String(bag.barcode),
            item_code: batch,
            id: 1,
            received_ts: Number(bag.received_ts),
            store_location: 'SEEDUWA-STORE-B',
            gross_weight: '25.50',
            bag_weight: '0.25',
            net_weight: '25.25',
            blendsheet_no: SHEET,
          },
          'Asia/Colombo',
        ),
      );
      expect(zpl).toContain(`Blendsheet No: ${SHEET}`);
      expect(zpl).toContain(`^FDQA,blendsheet:${String(bag.barcode)}^FS`);

      await page.getByLabel('Humidity (%)').fill('3.5');
      await page.getByLabel('Density (g/ml)').fill('0.42');
      await page.getByRole('button', { name: 'Save quality values' }).click();
      await status(page, `Quality values saved for batch ${batch}`);
      const saved = await json<Json[]>(officer, 'GET', '/app/blendsheet/batch');
      expect(saved.find((row) => row.item_code === batch)).toMatchObject({ humidity: 3.5, density: 0.42, trader_status: 'TRADER_PENDING' });

      await expectAccessible(page, 'kiosk process');
      await screenshot(page, 'kiosk-process');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('dispatches a short cart: bags scanned and checked, vehicle entered, the rest split off in orders', async () => {
    const admin = await apiAs(rig(), 'grandpass-admin');
    await json(admin, 'POST', '/order/plan', [planRow(ORDER)]);
    const planner = await apiAs(rig(), 'grandpass-officer');
    const [request] = await json<Array<{ request_code: number }>>(planner, 'POST', '/order', [
      { order_code: ORDER, product_name: 'Breakfast blend', requirement: '100', status: 'ORDER_REQUESTED' },
    ]);
    const rc = request!.request_code;
    const officer = await apiAs(rig(), 'seeduwa-officer');
    await json(officer, 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);

    const { context, page } = await pageAs(rig(), 'SEEDUWA-OFFICER');
    try {
      await openPage(page, 'Dispatch');
      await connectBridge(page, rig().bridgeUrl);
      // The box's dispatch key with no shipment picked: nothing to send, the LED says so.
      const answered = rig().peers.button.received().length;
      await pressDispatchButton(rig());
      await alert(page, 'Pick a shipment first.');
      await buttonAnswers(rig(), answered, ['BAG_NOT_OK']);
      const pick = page.getByRole('button', { name: `Shipment ${rc}/1 ` });
      expect(await pick.textContent()).toContain('still to load 100.00 kg');
      await pick.click();

      // The bag partly used in the batch ships what the batch left of it.
      await rig().peers.scanner.send(`tealine:${bags.first}\r\n`);
      await status(page, `Added the bag 1 of ${LOT}: 19.75 kg.`);
      await rig().peers.scanner.send(`tealine:${bags.second}\r\n`);
      await status(page, `Added the bag 2 of ${LOT}: 49.70 kg.`);
      await rig().peers.scanner.send(`tealine:${bags.second}\r\n`);
      await alert(page, 'This bag is already in the cart.');
      await page.getByText('The cart is short of the shipment').waitFor();

      // The box's dispatch key is the page's Dispatch: refused without a vehicle, then sent.
      await pressDispatchButton(rig());
      await alert(page, 'Type the vehicle number.');
      await buttonAnswers(rig(), answered, ['BAG_NOT_OK', 'BAG_NOT_OK']);
      await page.getByLabel('Vehicle number').fill('WP-KA-1234');
      await expectAccessible(page, 'kiosk dispatch');
      await screenshot(page, 'kiosk-dispatch');
      await pressDispatchButton(rig());
      await status(page, `Shipment ${rc}/1 dispatched on WP-KA-1234: 2 bags, 69.45 kg. The rest, 30.55 kg, is now shipment ${rc}/2.`);
      await buttonAnswers(rig(), answered, ['BAG_NOT_OK', 'BAG_NOT_OK', 'BAG_OK']);

      const orders = await json<
        Array<{ request_code: number; shipments: Array<{ shipment_code: number; quantity: string; status: string }> }>
      >(officer, 'GET', '/order');
      const shipments = orders.find((row) => row.request_code === rc)!.shipments;
      expect(shipments.find((row) => row.shipment_code === 1)).toMatchObject({ status: 'SHIPMENT_DISPATCHED' });
      expect(shipments.find((row) => row.shipment_code === 2)).toMatchObject({ status: 'ORDER_READY' });
      expect(await json<Json>(officer, 'GET', `/app/scan?table_name=tealine&barcode=${bags.second}`)).toMatchObject({
        status: 'DISPATCHED',
      });
      // The split-off rest is offered for the next load.
      await page.getByRole('button', { name: `Shipment ${rc}/2 ` }).waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);
}

/** A batch's created_ts, from the list of incomplete batches. */
async function batchCreated(api: Api, itemCode: string): Promise<string> {
  const batches = await json<Json[]>(api, 'GET', '/app/blendsheet/batch');
  return String(batches.find((row) => row.item_code === itemCode)?.created_ts);
}
