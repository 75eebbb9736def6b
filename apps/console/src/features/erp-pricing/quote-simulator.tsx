import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { itemsQuery } from '../../api/erp-batches';
import { customersQuery, explainQuery, segmentsQuery, type ExplainRequest } from '../../api/erp-pricing';
import { plantDate } from '../../lib/format';
import { DateField } from '../../ui/date-field';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { QuoteExplanation } from './quote-explanation';

const QTY = /^\d{1,12}(\.\d{1,6})?$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

interface LineDraft {
  item: string;
  qty: string;
}

/** "C:NAME" prices for a customer, "S:CODE" for any customer of a segment. */
function whoOf(value: string): Pick<ExplainRequest, 'customer' | 'segment'> {
  if (value.startsWith('C:')) return { customer: value.slice(2) };
  if (value.startsWith('S:')) return { segment: value.slice(2) };
  return {};
}

/**
 * Customer or segment, items, quantities, a day and a time in the plant's zone: the price the
 * erp's one evaluator gives, with every rule's part in it. Nothing is logged or used up.
 */
export function QuoteSimulator() {
  const customers = useQuery(customersQuery());
  const segments = useQuery(segmentsQuery());
  const items = useQuery(itemsQuery());
  const [who, setWho] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ item: '', qty: '1' }]);
  const [day, setDay] = useState(() => plantDate(Date.now()));
  const [time, setTime] = useState('12:00');
  const [coupon, setCoupon] = useState('');
  const [problem, setProblem] = useState<string>();
  const [request, setRequest] = useState<ExplainRequest>();
  const quote = useQuery(explainQuery(request));

  const setLine = (index: number, change: Partial<LineDraft>) =>
    setLines((current) => current.map((line, at) => (at === index ? { ...line, ...change } : line)));

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = lines.filter((line) => line.item !== '');
    if (chosen.length === 0 || chosen.some((line) => !QTY.test(line.qty.trim()) || Number(line.qty) <= 0)) {
      setProblem('Choose at least one item, each with a quantity above 0.');
      return;
    }
    if (!day || !TIME.test(time)) {
      setProblem('Give the day and a time as HH:MM (24-hour, Colombo).');
      return;
    }
    setProblem(undefined);
    setRequest({
      ...whoOf(who),
      // The plant's wall clock: Sri Lanka is UTC+05:30 all year.
      at: `${day}T${time}:00+05:30`,
      items: chosen.map((line) => ({ item_code: line.item, qty: line.qty.trim() })),
      ...(coupon.trim() ? { coupon_codes: [coupon.trim()] } : {}),
    });
  }

  return (
    <section className="panel" aria-labelledby="simulator-title">
      <h3 id="simulator-title">Quote simulator</h3>
      <form onSubmit={submit} aria-label="Quote" noValidate>
        <div className="row">
          <Field label="Price for">
            <select value={who} onChange={(event) => setWho(event.target.value)}>
              <option value="">Any customer (no customer rules)</option>
              <optgroup label="Customers">
                {(customers.data ?? []).map((customer) => (
                  <option key={customer.name} value={`C:${customer.name}`}>
                    {customer.customer_name ?? customer.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Segments">
                {(segments.data ?? []).map((segment) => (
                  <option key={segment.name} value={`S:${segment.segment_code}`}>
                    Segment {segment.segment_name}
                  </option>
                ))}
              </optgroup>
            </select>
          </Field>
          <DateField label="Day" value={day} onChange={(next) => next !== null && setDay(next)} />
          <Field label="Time (Colombo)" hint="HH:MM, 24-hour">
            <input value={time} inputMode="numeric" onChange={(event) => setTime(event.target.value)} />
          </Field>
          <Field label="Coupon">
            <input value={coupon} onChange={(event) => setCoupon(event.target.value)} />
          </Field>
        </div>
        {lines.map((line, index) => (
          <fieldset key={index} className="row">
            <legend>Line {index + 1}</legend>
            <Field label={`Item, line ${index + 1}`}>
              <select value={line.item} onChange={(event) => setLine(index, { item: event.target.value })}>
                <option value="">Choose an item</option>
                {(items.data ?? []).map((item) => (
                  <option key={item.name} value={item.name}>
                    {item.item_name ?? item.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={`Quantity, line ${index + 1}`}>
              <input inputMode="decimal" value={line.qty} onChange={(event) => setLine(index, { qty: event.target.value })} />
            </Field>
            {lines.length > 1 && (
              <button type="button" className="secondary" onClick={() => setLines(lines.filter((_, at) => at !== index))}>
                Remove line {index + 1}
              </button>
            )}
          </fieldset>
        ))}
        <div className="row">
          <button
            type="button"
            className="secondary"
            disabled={lines.length >= 10}
            onClick={() => setLines([...lines, { item: '', qty: '1' }])}
          >
            Add a line
          </button>
          <button type="submit">Quote</button>
        </div>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
      </form>
      {quote.isError && <ErrorPanel error={quote.error} onRetry={() => void quote.refetch()} />}
      {quote.isFetching && <p role="status">Pricing…</p>}
      {quote.data && <QuoteExplanation quote={quote.data} />}
    </section>
  );
}
