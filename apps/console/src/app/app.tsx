import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ReauthDialog } from '../features/sign-in/reauth-dialog';
import { SignInPage } from '../features/sign-in/sign-in-page';
import { ApiError } from '../lib/api-error';
import { restoreSession, useSession } from '../lib/session';
import { Shell } from './shell';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal or bad request does not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

export function App() {
  const session = useSession();
  useEffect(() => {
    void restoreSession();
  }, []);
  useEffect(() => {
    if (session.status === 'signed-out') queryClient.clear();
  }, [session.status]);
  if (session.status === 'starting') return <p role="status">Starting…</p>;
  if (session.status === 'signed-out') return <SignInPage />;
  return (
    <QueryClientProvider client={queryClient}>
      <Shell />
      <ReauthDialog />
    </QueryClientProvider>
  );
}
