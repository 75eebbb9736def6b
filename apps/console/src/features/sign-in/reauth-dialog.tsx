import { useSession } from '../../lib/session';
import { Dialog } from '../../ui/dialog';
import { SignInForm } from './sign-in-form';

/**
 * Opens over the page when the session has ended: the page (and any form being filled) stays
 * mounted underneath, and the call that found the session expired is sent once signed in.
 */
export function ReauthDialog() {
  const session = useSession();
  return (
    <Dialog open={session.reauthenticating} title="Your session has ended">
      <p>Sign in again to carry on. Nothing you entered is lost.</p>
      <SignInForm username={session.user?.username ?? ''} />
    </Dialog>
  );
}
