import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { orderQuery, recentOrdersQuery, usePickPreview, type PickRequest } from '../../api/erp-batches';
import { dayFirst } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { ItemSelect, WarehouseSelect } from './stock-fields';
import { plainQty } from './buckets';

type Line = PickRequest['lines'][number];
const QTY = /^\d{1,12}(\.\d{1,6})?$/;

/**
 * The FEFO plan the erp picks by (the same ordering allocation uses), for an order's lines or
 * for a line typed here: which batches, how much from each, and any shortage. Nothing is moved.
 */
export function PickPreview() {
  const orders = useQuery(recentOrdersQuery());
  const [orderId, setOrderId] = useState('');
  const order = useQuery(orderQuery(orderId));
  const [item, setItem] = useState('');
  const [warehouse, setWarehouse] = useState('');
  const [qty, setQty] = useState('');
  const [problem, setProblem] = useState<string>();
  const preview = usePickPreview();

  function linesToPick(): Line[] | string {
    if (orderId) {
      if (!order.data) return 'The order is still loading.';
      return order.data.lines.map((line) => ({ item: line.item_code, warehouse: line.warehouse, qty: line.qty }));
    }
    if (!item || !warehouse || !QTY.test(qty.trim()) || Number(qty) <= 0)
      return 'Choose an order, or an item, a warehouse and a quantity above 0.';
    return [{ item, warehouse, qty: qty.trim() }];
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const lines = linesToPick();
    if (typeof lines === 'string') {
      setProblem(lines);
      return;
    }
    setProblem(undefined);
    preview.mutate({ lines, strategy: 'FEFO' });
  }

  return (
    <form className="panel" aria-labelledby="pick-title" onSubmit={submit} noValidate>
      <h3 id="pick-title">FEFO pick preview</h3>
      <p className="muted">First expiry, first out: what the erp would pick now. Nothing is reserved or moved.</p>
      <div className="row">
        <Field label="Order">
          <select value={orderId} onChange={(event) => setOrderId(event.target.value)}>
            <option value="">No order: one line below</option>
            {(orders.data ?? []).map((candidate) => (
              <option key={candidate.order_id} value={candidate.order_id}>
                {candidate.order_id}: {candidate.customer}, {candidate.line_count} lines
              </option>
            ))}
          </select>
        </Field>
        <ItemSelect value={item} onChange={setItem} disabled={orderId !== ''} />
        <WarehouseSelect value={warehouse} onChange={setWarehouse} disabled={orderId !== ''} />
        <Field label="Quantity" error={problem}>
          <input inputMode="decimal" value={qty} disabled={orderId !== ''} onChange={(event) => setQty(event.target.value)} />
        </Field>
        <button type="submit" disabled={preview.isPending}>
          Preview pick
        </button>
      </div>
      {preview.isError && <ErrorPanel error={preview.error} />}
      {preview.data && (
        <div role="status">
          <p>{preview.data.fully_allocated ? 'Every line can be picked in full.' : 'Not enough stock for every line: see the shortage.'}</p>
          {/* Numbered as the request's lines, from 1 (the plan counts from 0). */}
          {preview.data.lines.map((line, index) => (
            <table key={line.line}>
              <caption>
                Line {index + 1}: {plainQty(line.requested)} × {line.item} from {line.warehouse}
                {line.shortage !== '0' ? `, short by ${plainQty(line.shortage)}` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Pick order</th>
                  <th scope="col">Batch</th>
                  <th scope="col">Expires</th>
                  <th scope="col" className="number">
                    Take
                  </th>
                  <th scope="col" className="number">
                    Available
                  </th>
                </tr>
              </thead>
              <tbody>
                {line.allocations.map((allocation, index) => (
                  <tr key={allocation.batch}>
                    <td>{index + 1}</td>
                    <td>{allocation.batch}</td>
                    <td>{dayFirst(allocation.expiry_date)}</td>
                    <td className="number">{plainQty(allocation.qty)}</td>
                    <td className="number">{plainQty(allocation.available_before)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      )}
    </form>
  );
}
