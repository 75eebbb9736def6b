import { useRef, useState } from 'react';
import { Dialog } from '../../ui/dialog';
import { Field } from '../../ui/field';
import type { IssuedAccessKey } from '../../api/gateway-admin-keys';

export interface Secret {
  label: string;
  value: string;
}

/** The secrets of an issued access key: the secret, and the session token of a temporary one. */
export function issuedSecrets(issued: IssuedAccessKey): Secret[] {
  return [
    { label: 'Secret access key', value: issued.secretAccessKey },
    ...(issued.sessionToken ? [{ label: 'Session token', value: issued.sessionToken }] : []),
  ];
}

function SecretField({ secret }: { secret: Secret }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [said, setSaid] = useState<string>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret.value);
      setSaid('Copied.');
    } catch {
      // Some browsers refuse the clipboard to a page; the text is selected so Ctrl+C copies it.
      input.current?.select();
      setSaid('Selected: press Ctrl+C to copy.');
    }
  }
  return (
    <div>
      {/* A text area, so the whole secret shows wrapped in the dialog and can be read back. */}
      <Field label={secret.label}>
        <textarea ref={input} readOnly rows={3} value={secret.value} onFocus={(event) => event.target.select()} />
      </Field>
      <div className="field">
        <button type="button" className="secondary" aria-label={`Copy ${secret.label.toLowerCase()}`} onClick={() => void copy()}>
          Copy
        </button>
        {said && <span role="status">{said}</span>}
      </div>
    </div>
  );
}

/**
 * A key's secret, shown this once: it is not stored by the platform in readable form, and the
 * page forgets it when this dialog closes. The facts say what the key is without the secret.
 */
export function SecretDialog({
  title,
  facts,
  secrets,
  onDone,
}: {
  title: string;
  facts: readonly string[];
  secrets: Secret[];
  onDone: () => void;
}) {
  return (
    <Dialog open title={title} onClose={onDone}>
      <p>
        <strong>Copy the secret now: it is shown only this once.</strong> If it is lost, rotate the key to get a new one.
      </p>
      {facts.map((fact) => (
        <p key={fact}>{fact}</p>
      ))}
      {secrets.map((secret) => (
        <SecretField key={secret.label} secret={secret} />
      ))}
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </Dialog>
  );
}
