import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api-error';
import { signIn } from '../../lib/session';
import { Field } from '../../ui/field';

function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'The user name or password is not right.';
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    return error.message;
  }
  return 'The server cannot be reached. Check the network and try again.';
}

/** Used on the sign-in page and in the dialog that renews an expired session. */
export function SignInForm({ username: fixedUser }: { username?: string }) {
  const [username, setUsername] = useState(fixedUser ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Field label="User name">
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          required
          autoFocus={!fixedUser}
        />
      </Field>
      <Field label="Password">
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
          autoFocus={!!fixedUser}
        />
      </Field>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !username || !password}>
        Sign in
      </button>
    </form>
  );
}
