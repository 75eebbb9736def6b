import { useState, type FormEvent } from 'react';
import { useChangeRoute, type RouteChanges, type RouteView } from '../../api/gateway-admin-routes';
import { Dialog } from '../../ui/dialog';
import { ErrorPanel } from '../../ui/error-panel';
import { Field } from '../../ui/field';
import { wordsOf } from '../gw-common/choices';
import { fieldErrorsOf } from '../gw-common/field-errors';

const METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
type Method = (typeof METHODS)[number];

interface Draft {
  routeName: string;
  pathPattern: string;
  httpMethod: string;
  serviceName: string;
  upstreamUrl: string;
  roles: string;
  priority: string;
  timeoutSeconds: string;
  retryAttempts: string;
  failureThreshold: string;
  isActive: boolean;
}

const draftOf = (route: RouteView): Draft => ({
  routeName: route.routeName,
  pathPattern: route.pathPattern,
  httpMethod: route.httpMethod,
  serviceName: route.serviceName,
  upstreamUrl: route.upstreamUrl,
  roles: route.authorizationRoles.join(', '),
  priority: String(route.priority),
  timeoutSeconds: String(route.timeoutSeconds),
  retryAttempts: String(route.retryAttempts),
  failureThreshold: String(route.failureThreshold),
  isActive: route.isActive,
});

const WHOLE = /^-?\d+$/;

/** Only what changed is sent; the gateway judges it and any refusal is shown at its field. */
function changesOf(route: RouteView, draft: Draft): { changes: RouteChanges; problems: Record<string, string> } {
  const before = draftOf(route);
  const changes: RouteChanges = {};
  const problems: Record<string, string> = {};
  const number = (field: 'priority' | 'timeoutSeconds' | 'retryAttempts' | 'failureThreshold') => {
    if (draft[field] === before[field]) return;
    if (WHOLE.test(draft[field].trim())) changes[field] = Number(draft[field].trim());
    else problems[field] = 'Enter a whole number.';
  };
  if (draft.routeName !== before.routeName) changes.routeName = draft.routeName.trim();
  if (draft.pathPattern !== before.pathPattern) changes.pathPattern = draft.pathPattern.trim();
  if (draft.httpMethod !== before.httpMethod) changes.httpMethod = draft.httpMethod as Method;
  if (draft.serviceName !== before.serviceName) changes.serviceName = draft.serviceName.trim();
  if (draft.upstreamUrl !== before.upstreamUrl) changes.upstreamUrl = draft.upstreamUrl.trim();
  if (draft.roles !== before.roles) changes.authorizationRoles = wordsOf(draft.roles).length > 0 ? wordsOf(draft.roles) : null;
  number('priority');
  number('timeoutSeconds');
  number('retryAttempts');
  number('failureThreshold');
  if (draft.isActive !== before.isActive) changes.isActive = draft.isActive;
  return { changes, problems };
}

export function RouteEditDialog({ route, onClose }: { route: RouteView; onClose: () => void }) {
  const change = useChangeRoute();
  const [draft, setDraft] = useState(() => draftOf(route));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(change.error, { INVALID_SCOPE: 'authorizationScopes', ROUTE_INTERNAL: 'pathPattern' });
  const errorOf = (field: string) => problems[field] ?? server[field];
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const { changes, problems: found } = changesOf(route, draft);
    setProblems(found);
    if (Object.keys(found).length > 0 || Object.keys(changes).length === 0) return;
    change.mutate({ routeId: route.routeId, changes }, { onSuccess: onClose });
  }

  return (
    <Dialog open title={`Change route ${route.routeName}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Route name" error={errorOf('routeName')}>
          <input value={draft.routeName} onChange={set('routeName')} />
        </Field>
        <Field label="Path" hint="Starts with /; :name for a part, * at the end for the rest" error={errorOf('pathPattern')}>
          <input value={draft.pathPattern} onChange={set('pathPattern')} />
        </Field>
        <Field label="Method" error={errorOf('httpMethod')}>
          <select value={draft.httpMethod} onChange={set('httpMethod')}>
            {METHODS.map((method) => (
              <option key={method} value={method}>
                {method === 'ANY' ? 'Any' : method}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Service" error={errorOf('serviceName')}>
          <input value={draft.serviceName} onChange={set('serviceName')} />
        </Field>
        <Field label="Upstream" hint="An http(s) address, or peer:<service> for a platform service" error={errorOf('upstreamUrl')}>
          <input value={draft.upstreamUrl} onChange={set('upstreamUrl')} />
        </Field>
        <Field label="Roles allowed" hint="Comma-separated; empty for any signed-in caller" error={errorOf('authorizationRoles')}>
          <input value={draft.roles} onChange={set('roles')} />
        </Field>
        <div className="row">
          <Field label="Priority" error={errorOf('priority')}>
            <input inputMode="numeric" size={6} value={draft.priority} onChange={set('priority')} />
          </Field>
          <Field label="Timeout (seconds)" error={errorOf('timeoutSeconds')}>
            <input inputMode="numeric" size={6} value={draft.timeoutSeconds} onChange={set('timeoutSeconds')} />
          </Field>
          <Field label="Retries" error={errorOf('retryAttempts')}>
            <input inputMode="numeric" size={6} value={draft.retryAttempts} onChange={set('retryAttempts')} />
          </Field>
          <Field label="Failures before the breaker opens" error={errorOf('failureThreshold')}>
            <input inputMode="numeric" size={6} value={draft.failureThreshold} onChange={set('failureThreshold')} />
          </Field>
        </div>
        <div className="field">
          <label>
            <input type="checkbox" checked={draft.isActive} onChange={(event) => setDraft({ ...draft, isActive: event.target.checked })} />{' '}
            Route is on
          </label>
        </div>
        {change.isError && Object.keys(server).length === 0 && <ErrorPanel error={change.error} />}
        <div className="row">
          <button type="submit" disabled={change.isPending}>
            Save route
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
