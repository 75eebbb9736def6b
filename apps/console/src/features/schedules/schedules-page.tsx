import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { schedulesQuery, useCompleteSchedule, type Schedule } from '../../api/schedules';
import { can } from '../../config/access';
import { dayFirst, plantDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { Column } from '../../ui/data-table';
import { DateField } from '../../ui/date-field';
import { kgColumn } from '../../ui/kg-column';
import { ErrorPanel } from '../../ui/error-panel';
import { QueryTable } from '../../ui/query-table';
import { NewScheduleForm } from './new-schedule-form';

const SHIFTS: Record<string, string> = { DAY: 'Day', NIGHT: 'Night', 'NIGHT & DAY': 'Night and day' };

export default function SchedulesPage() {
  const role = useSession().user?.role;
  const [date, setDate] = useState(() => plantDate(Date.now()));
  const query = useQuery(schedulesQuery(date));
  const complete = useCompleteSchedule();
  const columns: Array<Column<Schedule>> = [
    {
      key: 'date',
      header: 'Day',
      text: (schedule) => dayFirst(schedule.schedule_date),
      compare: (a, b) => a.schedule_date.localeCompare(b.schedule_date),
    },
    { key: 'order', header: 'Order', text: (schedule) => schedule.order_code },
    { key: 'shift', header: 'Shift', text: (schedule) => SHIFTS[schedule.shift] ?? schedule.shift },
    { key: 'section', header: 'Section', text: (schedule) => schedule.section },
    kgColumn('quantity', 'Quantity', (schedule) => schedule.quantity),
    { key: 'received', header: 'Received shipments', text: (schedule) => String(schedule.accepted_shipments.length), numeric: true },
    { key: 'state', header: 'State', text: (schedule) => (schedule.completed ? 'Filled' : 'Open') },
  ];
  if (can(role, 'schedules.complete')) {
    columns.push({
      key: 'action',
      header: 'Boxes filled',
      text: () => '',
      render: (schedule) =>
        schedule.completed ? null : (
          <button
            type="button"
            aria-label={`Mark filled, schedule ${schedule.schedule_code}`}
            disabled={complete.isPending}
            onClick={() => complete.mutate(schedule.schedule_code)}
          >
            Mark filled
          </button>
        ),
    });
  }
  return (
    <section aria-labelledby="schedules-title">
      <h2 id="schedules-title">Production schedules</h2>
      {can(role, 'schedules.create') && <NewScheduleForm defaultDate={date} />}
      {/* While the text is not a date, the list stays on the last day that was. */}
      <DateField label="Day (empty for every day)" value={date} onChange={(next) => next !== null && setDate(next)} />
      {complete.isError && <ErrorPanel error={complete.error} />}
      <QueryTable
        query={query}
        loading="Loading schedules…"
        caption="Schedules"
        columns={columns}
        rowKey={(schedule) => String(schedule.schedule_code)}
        exportName={`schedules-${date || 'all'}`}
        empty="No schedules for this day."
      />
    </section>
  );
}
