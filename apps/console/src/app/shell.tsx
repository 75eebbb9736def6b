import { Suspense } from 'react';
import { groupName } from '../config/access';
import { signOut, useSession } from '../lib/session';
import { hrefOf, useHashPath } from './hash-route';
import { pagesFor } from './pages';

export function Shell() {
  const session = useSession();
  const path = useHashPath();
  const pages = pagesFor(session.user?.role);
  const page = pages.find((candidate) => candidate.path === path) ?? pages[0];
  const Current = page?.component;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="shell-nav" aria-label="Pages">
        <h1>Tributary</h1>
        <ul>
          {pages.map((candidate) => (
            <li key={candidate.path}>
              <a href={hrefOf(candidate.path)} aria-current={candidate === page ? 'page' : undefined}>
                {candidate.title}
              </a>
            </li>
          ))}
        </ul>
        <div className="shell-user">
          <div>{session.user?.fullName}</div>
          <div>{groupName(session.user?.role ?? '')}</div>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        {Current ? (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <Current />
          </Suspense>
        ) : (
          <p>Your group has no pages here. Ask an administrator to check your group.</p>
        )}
      </main>
    </div>
  );
}
