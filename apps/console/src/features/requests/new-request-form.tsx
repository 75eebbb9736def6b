import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { plansQuery, useCreateRequests } from '../../api/orders';
import { formatKg } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';

const KG = /^\d+(\.\d{1,3})?$/;

export function NewRequestForm() {
  const plans = useQuery(plansQuery());
  const create = useCreateRequests();
  const [orderCode, setOrderCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [comments, setComments] = useState('');
  const [special, setSpecial] = useState(false);
  const [errors, setErrors] = useState<{ order?: string; quantity?: string }>({});
  const [done, setDone] = useState<string>();
  const plan = plans.data?.find((candidate) => candidate.order_code === orderCode);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!plan) found.order = 'Choose the plan to request against.';
    if (!KG.test(quantity.trim()) || Number(quantity) <= 0) found.quantity = 'Enter the kg, for example 250 or 250.5.';
    setErrors(found);
    if (!plan || Object.keys(found).length > 0) return;
    setDone(undefined);
    create.mutate(
      [
        {
          order_code: plan.order_code,
          product_name: plan.product_name,
          requirement: quantity.trim(),
          comments: comments.trim() || null,
          status: special ? 'APPROVAL_REQUESTED' : 'ORDER_REQUESTED',
        },
      ],
      {
        onSuccess: (created) => {
          setQuantity('');
          setComments('');
          setSpecial(false);
          setDone(`Request ${created.map((request) => request.request_code).join(', ')} sent${special ? ' for approval' : ''}.`);
        },
      },
    );
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-request-title" noValidate>
      <h3 id="new-request-title">Request material</h3>
      <div className="row">
        <Field label="Plan" error={errors.order}>
          <select value={orderCode} onChange={(event) => setOrderCode(event.target.value)}>
            <option value="">Choose a plan</option>
            {(plans.data ?? []).map((candidate) => (
              <option key={candidate.order_code} value={candidate.order_code}>
                {candidate.order_code}: {candidate.product_name} ({formatKg(candidate.allowed)} left)
              </option>
            ))}
          </select>
        </Field>
        <Field label="Quantity (kg)" error={errors.quantity}>
          <input inputMode="decimal" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
        </Field>
        <Field label="Note">
          <input value={comments} onChange={(event) => setComments(event.target.value)} />
        </Field>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={special} onChange={(event) => setSpecial(event.target.checked)} /> Special request (outside the
          plan; a supervisor approves it)
        </label>
      </div>
      <button type="submit" disabled={create.isPending}>
        Send request
      </button>
      {create.isError && <ErrorPanel error={create.error} />}
      {done && <p role="status">{done}</p>}
    </form>
  );
}
