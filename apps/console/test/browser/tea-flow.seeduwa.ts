import { expect } from 'vitest';
import { expectOnlyPages } from './group-pages.js';
import { apiAs, openPage, pageAs } from './harness.js';
import type { KioskRig } from './kiosk-rig.js';
import { connectBridge, pressAcceptButton, printedJob, steadyWeight } from './kiosk-steps.js';
import { status } from './page-steps.js';
import { read, TEA, type TeaFlow } from './tea-flow.js';

type Row = Record<string, unknown>;

/** Gross weights of the three tealine bags (tare 1 kg each), and of the two output bags (tare 0.5 kg): 45 + 40 = the 85 kg asked for. */
const TEA_GROSS = ['51.00', '50.90', '51.10'];
const OUTPUT_GROSS = ['45.50', '40.50'];

/**
 * The lot and the blend sheet are registered by API, as mtp-seed does: the console has no page
 * for creating them, so this is the flow's one step not done through a page.
 */
export async function seedLotAndSheet(rig: KioskRig): Promise<{ created_ts: number }> {
  const lot = await read<{ created_ts: number }>(await apiAs(rig, 'seeduwa-officer'), 'POST', '/app/admin/tealine', {
    item_code: TEA.lot,
    invoice_no: 'INV-FLOW-0801',
    garden: TEA.garden,
    broker: 'Asia Siyaka',
    no_of_bags: TEA_GROSS.length,
    weight_per_bag: '50',
  });
  await read(await apiAs(rig, 'admin'), 'POST', '/app/admin/blendsheet', {
    blendsheet_no: TEA.sheet,
    standard: 'STD-EB-12',
    remarks: 'Breakfast blend',
    total: 100,
    blend_code: 'BLT00042',
    no_of_batches: 1,
    mixtures: {},
  });
  return lot;
}

/** The Seeduwa officer weighs the lot's three bags in on the kiosk, each accepted by the button box and labelled. */
export async function acceptBags(rig: KioskRig, flow: TeaFlow, lot: { created_ts: number }): Promise<void> {
  const officer = await apiAs(rig, 'seeduwa-officer');
  const labels: string[] = [];
  const { context, page } = await pageAs(rig, 'SEEDUWA-OFFICER');
  try {
    await expectOnlyPages(page, 'SEEDUWA-OFFICER');
    await openPage(page, 'Accept bags');
    await connectBridge(page, rig.bridgeUrl);
    await page.getByRole('button', { name: `Tealine ${TEA.lot}` }).click();
    await page.getByLabel('Bag weight (tare, kg)').fill('1.00');
    await page.getByLabel('Store location').selectOption('SEEDUWA-STORE-A');
    for (const [index, gross] of TEA_GROSS.entries()) {
      await steadyWeight(rig, page, gross);
      const printed = rig.peers.printer.received().length;
      const answered = rig.peers.button.received().length;
      await pressAcceptButton(rig);
      await status(page, `Accepted: bag ${index + 1} of ${TEA.lot}, label printed.`);
      labels.push(await printedJob(rig, printed));
      await rig.peers.button.until((bytes) => bytes.subarray(answered).toString() === 'BAG_OK\r\n', 'BAG_OK on the button line');
    }
  } finally {
    await context.close();
  }
  const stored = await read<{ record_list: Row[] }>(officer, 'GET', `/app/tealine?item_code=${TEA.lot}&created_ts=${lot.created_ts}`);
  const bags = [...stored.record_list].sort((a, b) => Number(a.id) - Number(b.id));
  expect(bags.map((bag) => bag.gross_weight)).toEqual(TEA_GROSS);
  flow.teaBags = bags.map((bag) => String(bag.barcode));
  // Each label printed carries its own bag's code, in the order the bags were accepted.
  for (const [index, label] of labels.entries()) expect(label).toContain(`^FDQA,tealine:${flow.teaBags[index]}^FS`);
}

/** On the Process kiosk: a batch of the sheet, two scanned bags in, two output bags weighed and labelled, then QC. */
export async function processBatch(rig: KioskRig, flow: TeaFlow): Promise<void> {
  const { context, page } = await pageAs(rig, 'SEEDUWA-OFFICER');
  const labels: string[] = [];
  try {
    await openPage(page, 'Process');
    await connectBridge(page, rig.bridgeUrl);
    await page.getByRole('button', { name: `Blendsheet ${TEA.sheet}` }).click();
    await page.getByRole('button', { name: `Start a batch of ${TEA.sheet}` }).click();
    flow.batch = /Batch (\S+) started/.exec(await status(page, /Batch .* started\./))![1]!;

    for (const [index, barcode] of flow.teaBags.slice(0, 2).entries()) {
      await rig.peers.scanner.send(`tealine:${barcode}\r\n`);
      // The whole bag, as the field offers it.
      await status(page, `The bag ${index + 1} of ${TEA.lot} has`);
      await page.getByRole('button', { name: 'Add to batch' }).click();
      await status(page, new RegExp(`Added the bag ${index + 1} of ${TEA.lot} \\(.* kg\\) to batch ${flow.batch}\\.`));
    }

    await page.getByLabel('Bag weight (tare, kg)').fill('0.50');
    await page.getByLabel('Store location').selectOption('SEEDUWA-STORE-B');
    for (const [index, gross] of OUTPUT_GROSS.entries()) {
      await steadyWeight(rig, page, gross);
      const printed = rig.peers.printer.received().length;
      await page.getByRole('button', { name: 'Accept bag' }).click();
      await status(page, `Accepted: output bag ${index + 1} of batch ${flow.batch}, label printed.`);
      labels.push(await printedJob(rig, printed));
    }

    await page.getByLabel('Humidity (%)').fill('3.2');
    await page.getByLabel('Density (g/ml)').fill('0.41');
    await page.getByRole('button', { name: 'Save quality values' }).click();
    await status(page, `Quality values saved for batch ${flow.batch}`);
  } finally {
    await context.close();
  }

  const officer = await apiAs(rig, 'seeduwa-officer');
  for (const barcode of flow.teaBags.slice(0, 2))
    expect(await read<Row>(officer, 'GET', `/app/scan?table_name=tealine&barcode=${barcode}`)).toMatchObject({ status: 'PROCESSED' });
  const batches = await read<Row[]>(officer, 'GET', '/app/blendsheet/batch');
  const batch = batches.find((row) => row.item_code === flow.batch);
  expect(batch).toMatchObject({ humidity: 3.2, density: 0.41, trader_status: 'TRADER_PENDING' });
  const output = await read<{ record_list: Row[] }>(
    officer,
    'GET',
    `/app/blendsheet/batch?item_code=${encodeURIComponent(flow.batch!)}&created_ts=${String(batch!.created_ts)}`,
  );
  const bags = [...output.record_list].sort((a, b) => Number(a.id) - Number(b.id));
  expect(bags.map((bag) => bag.gross_weight)).toEqual(OUTPUT_GROSS);
  flow.outputLabels = bags.map((bag) => `blendsheet:${String(bag.barcode)}`);
  for (const [index, label] of labels.entries()) expect(label).toContain(`^FDQA,${flow.outputLabels[index]}^FS`);
}
