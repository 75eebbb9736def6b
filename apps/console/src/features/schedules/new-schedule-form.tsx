import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { plansQuery } from '../../api/orders';
import { useCreateSchedules, type NewSchedule } from '../../api/schedules';
import { ErrorPanel } from '../../ui/error-panel';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';

const KG = /^\d+(\.\d{1,3})?$/;

export function NewScheduleForm({ defaultDate }: { defaultDate: string }) {
  const plans = useQuery(plansQuery());
  const create = useCreateSchedules();
  const [date, setDate] = useState(defaultDate);
  const [orderCode, setOrderCode] = useState('');
  const [shift, setShift] = useState<NewSchedule['shift']>('DAY');
  const [section, setSection] = useState('');
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!date || !orderCode || !section.trim() || !KG.test(quantity.trim())) {
      setError('Fill in the day, plan, section and the kg to fill.');
      return;
    }
    setError(undefined);
    create.mutate([{ schedule_date: date, order_code: orderCode, shift, section: section.trim(), quantity: quantity.trim() }], {
      onSuccess: () => {
        setSection('');
        setQuantity('');
      },
    });
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-schedule-title" noValidate>
      <h3 id="new-schedule-title">Schedule box filling</h3>
      <div className="row">
        <DateField label="Day to fill" value={date} onChange={(next) => setDate(next ?? '')} />
        <Field label="Plan">
          <select value={orderCode} onChange={(event) => setOrderCode(event.target.value)}>
            <option value="">Choose a plan</option>
            {(plans.data ?? []).map((plan) => (
              <option key={plan.order_code} value={plan.order_code}>
                {plan.order_code}: {plan.product_name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Shift">
          <select value={shift} onChange={(event) => setShift(event.target.value as NewSchedule['shift'])}>
            <option value="DAY">Day</option>
            <option value="NIGHT">Night</option>
            <option value="NIGHT & DAY">Night and day</option>
          </select>
        </Field>
        <Field label="Section">
          <input value={section} onChange={(event) => setSection(event.target.value)} />
        </Field>
        <Field label="Quantity (kg)" error={error}>
          <input inputMode="decimal" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
        </Field>
      </div>
      <button type="submit" disabled={create.isPending}>
        Add to schedule
      </button>
      {create.isError && <ErrorPanel error={create.error} />}
      {create.isSuccess && <p role="status">Scheduled.</p>}
    </form>
  );
}
