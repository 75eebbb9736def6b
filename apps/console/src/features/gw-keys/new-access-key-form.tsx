import { useState, type FormEvent } from 'react';
import { useCreateAccessKey } from '../../api/gateway-admin-keys';
import { Field } from '../../ui/field';
import { FormEnd, wordsOf } from '../gw-common/choices';
import { fieldErrorsOf } from '../gw-common/field-errors';
import { KEY_FIELD_OF_CODE } from './key-actions';
import { OwnerField } from './owner-field';
import { issuedSecrets, SecretDialog } from './secret-dialog';

/** Temporary keys carry a session token and end by themselves; long-lived ones until revoked. */
const LIFETIMES = [
  { seconds: 0, label: 'Until revoked' },
  { seconds: 3_600, label: '1 hour (temporary)' },
  { seconds: 86_400, label: '1 day (temporary)' },
  { seconds: 7 * 86_400, label: '7 days (temporary)' },
];

export function NewAccessKeyForm() {
  const create = useCreateAccessKey();
  const [owner, setOwner] = useState('');
  const [scopes, setScopes] = useState('');
  const [lifetime, setLifetime] = useState(0);
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState<string>();
  const errors = fieldErrorsOf(create.error, KEY_FIELD_OF_CODE);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!owner) {
      setMissing('Choose the owner.');
      return;
    }
    setMissing(undefined);
    create.mutate(
      {
        userId: owner,
        ...(wordsOf(scopes).length > 0 ? { scopes: wordsOf(scopes) } : {}),
        ...(lifetime > 0 ? { ttlSeconds: lifetime } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      },
      { onSuccess: () => setDescription('') },
    );
  }

  return (
    <>
      <form className="panel" onSubmit={submit} aria-labelledby="new-access-key-title" noValidate>
        <h3 id="new-access-key-title">Create an access key</h3>
        <div className="row">
          <OwnerField value={owner} onChange={setOwner} error={errors.userId} />
          <Field label="Rights (optional)" hint="Empty for all the owner may do, or e.g. sync:*" error={errors.scopes}>
            <input value={scopes} onChange={(event) => setScopes(event.target.value)} />
          </Field>
          <Field label="Works for" error={errors.ttlSeconds}>
            <select value={lifetime} onChange={(event) => setLifetime(Number(event.target.value))}>
              {LIFETIMES.map((choice) => (
                <option key={choice.seconds} value={choice.seconds}>
                  {choice.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Description (optional)" error={errors.description}>
            <input value={description} onChange={(event) => setDescription(event.target.value)} />
          </Field>
        </div>
        <FormEnd label="Create access key" call={create} missing={missing} placed={Object.keys(errors).length > 0} />
      </form>
      {create.data && (
        <SecretDialog
          title={`Access key ${create.data.accessKeyId}`}
          facts={[
            `Access key ID: ${create.data.accessKeyId}`,
            ...(create.data.expiresAt ? [`It stops working by itself at the end of its lifetime.`] : []),
          ]}
          secrets={issuedSecrets(create.data)}
          onDone={() => create.reset()}
        />
      )}
    </>
  );
}
