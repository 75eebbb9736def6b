import { useId, useState, type FormEvent } from 'react';
import { useUploadPlanFile } from '../../api/orders';
import { ApiError } from '../../lib/api-error';
import { ErrorPanel } from '../../ui/error-panel';

interface RowIssue {
  row: number;
  field: string;
  message: string;
}

function rowIssuesOf(error: unknown): RowIssue[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details.errors)) return [];
  return (error.details.errors as unknown[]).filter(
    (issue): issue is RowIssue => typeof issue === 'object' && issue !== null && 'row' in issue && 'message' in issue,
  );
}

/** The .xlsx goes to the server as it is; any bad row refuses the whole file, and every problem is listed by row. */
export function PlanUpload() {
  const upload = useUploadPlanFile();
  const [file, setFile] = useState<File>();
  const inputId = useId();
  const issues = rowIssuesOf(upload.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) upload.mutate(file);
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Upload a plan</h3>
      <div className="row">
        <div className="field">
          <label htmlFor={inputId}>Excel plan (.xlsx)</label>
          <input
            id={inputId}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(event) => setFile(event.target.files?.[0])}
          />
        </div>
        <button type="submit" disabled={!file || upload.isPending}>
          Upload
        </button>
      </div>
      {upload.isSuccess && <p role="status">Saved {upload.data.length} plan(s).</p>}
      {upload.isError && issues.length === 0 && <ErrorPanel error={upload.error} />}
      {issues.length > 0 && (
        <div role="alert">
          <p className="error">{upload.error instanceof ApiError ? upload.error.message : ''}</p>
          <table>
            <caption>Problems by sheet row</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr key={`${issue.row}-${issue.field}`}>
                  <td>{issue.row}</td>
                  <td>{issue.field}</td>
                  <td>{issue.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
