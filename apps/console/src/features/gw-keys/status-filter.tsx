import { useId } from 'react';

/** Which keys the list shows; a change asks the server at once. */
export function StatusFilter({ label, onChange }: { label: string; onChange: (filter: { isActive?: boolean }) => void }) {
  const id = useId();
  return (
    <div className="table-tools">
      <div className="field">
        <label htmlFor={id}>Show</label>
        <select
          id={id}
          defaultValue=""
          onChange={(event) => onChange(event.target.value === '' ? {} : { isActive: event.target.value === 'active' })}
        >
          <option value="">All {label}</option>
          <option value="active">Not revoked</option>
          <option value="revoked">Revoked</option>
        </select>
      </div>
    </div>
  );
}
