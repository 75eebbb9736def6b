import { SignInForm } from './sign-in-form';

export function SignInPage() {
  return (
    <main className="sign-in">
      <h1>Tributary</h1>
      <div className="panel">
        <h2>Sign in</h2>
        <SignInForm />
      </div>
    </main>
  );
}
