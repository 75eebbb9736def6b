import { useState, type FormEvent } from 'react';
import type { Tier } from '../../api/gateway-admin';
import { useCreateApiKey } from '../../api/gateway-admin-keys';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';
import { FormEnd, TierField, wordsOf } from '../gw-common/choices';
import { fieldErrorsOf } from '../gw-common/field-errors';
import { KEY_FIELD_OF_CODE, keyPrefix } from './key-actions';
import { OwnerField } from './owner-field';
import { SecretDialog } from './secret-dialog';

/** The end of the chosen day in Sri Lanka (UTC+5:30, no daylight saving): the key works through that day. */
const endOfPlantDay = (day: string) => new Date(Date.parse(`${day}T23:59:59+05:30`)).toISOString();

export function NewApiKeyForm() {
  const create = useCreateApiKey();
  const [owner, setOwner] = useState('');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('*');
  const [tier, setTier] = useState<Tier>('standard');
  const [expires, setExpires] = useState('');
  const [missing, setMissing] = useState<string>();
  const errors = fieldErrorsOf(create.error, KEY_FIELD_OF_CODE);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!owner || !name.trim() || wordsOf(scopes).length === 0) {
      setMissing('Choose an owner, and give the key a name and at least one right.');
      return;
    }
    setMissing(undefined);
    create.mutate(
      {
        userId: owner,
        name: name.trim(),
        scopes: wordsOf(scopes),
        rateLimitTier: tier,
        ...(expires ? { expiresAt: endOfPlantDay(expires) } : {}),
      },
      { onSuccess: () => setName('') },
    );
  }

  return (
    <>
      <form className="panel" onSubmit={submit} aria-labelledby="new-api-key-title" noValidate>
        <h3 id="new-api-key-title">Create an API key</h3>
        <div className="row">
          <OwnerField value={owner} onChange={setOwner} error={errors.userId} />
          <Field label="Name" hint="What the key is for, e.g. shop checkout" error={errors.name}>
            <input value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
          <Field label="Rights" hint="* for all the owner may do, or e.g. erp:read orders:*" error={errors.scopes}>
            <input value={scopes} onChange={(event) => setScopes(event.target.value)} />
          </Field>
          <TierField value={tier} onChange={setTier} error={errors.rateLimitTier} />
          <DateField label="Works until (optional)" value={expires} onChange={(day) => setExpires(day ?? '')} error={errors.expiresAt} />
        </div>
        <FormEnd label="Create key" call={create} missing={missing} placed={Object.keys(errors).length > 0} />
      </form>
      {create.data && (
        <SecretDialog
          title={`API key ${create.data.apiKey.name}`}
          facts={[`It begins ${keyPrefix(create.data.apiKey.keyId)} and acts as ${create.data.apiKey.userId}.`]}
          secrets={[{ label: 'API key', value: create.data.key }]}
          onDone={() => create.reset()}
        />
      )}
    </>
  );
}
