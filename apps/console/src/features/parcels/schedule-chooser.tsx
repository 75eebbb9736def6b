import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { schedulesQuery, type Schedule } from '../../api/schedules';
import { can } from '../../config/access';
import { dayFirst, formatKg } from '../../lib/format';
import { useSession } from '../../lib/session';
import { Field } from '../../ui/field';

export function scheduleName(schedule: Schedule): string {
  return `${dayFirst(schedule.schedule_date)}, ${schedule.shift.toLowerCase()} shift, ${schedule.section}: ${schedule.order_code}, ${formatKg(schedule.quantity)}${schedule.completed ? ' (filled)' : ''}`;
}

interface ScheduleChooserProps {
  value: number | undefined;
  onChange: (scheduleCode: number | undefined, schedule: Schedule | undefined) => void;
}

/**
 * Groups that may read the schedules pick one from the list; Seeduwa, which may not, types the
 * schedule number (it is on the Grandpass paperwork and in a trace).
 */
export function ScheduleChooser({ value, onChange }: ScheduleChooserProps) {
  const role = useSession().user?.role;
  const listed = can(role, 'schedules.view');
  const schedules = useQuery({ ...schedulesQuery(''), enabled: listed });
  const [typed, setTyped] = useState(value === undefined ? '' : String(value));
  if (!listed)
    return (
      <Field label="Schedule number">
        <input
          inputMode="numeric"
          value={typed}
          onChange={(event) => {
            setTyped(event.target.value);
            const code = Number(event.target.value);
            onChange(/^\d+$/.test(event.target.value.trim()) ? code : undefined, undefined);
          }}
        />
      </Field>
    );
  const rows = schedules.data ?? [];
  return (
    <Field label="Schedule" hint={schedules.isPending ? 'Loading schedules…' : undefined}>
      <select
        value={value ?? ''}
        onChange={(event) => {
          const code = event.target.value ? Number(event.target.value) : undefined;
          onChange(
            code,
            rows.find((schedule) => schedule.schedule_code === code),
          );
        }}
      >
        <option value="">Choose a schedule</option>
        {rows.map((schedule) => (
          <option key={schedule.schedule_code} value={schedule.schedule_code}>
            {scheduleName(schedule)}
          </option>
        ))}
      </select>
    </Field>
  );
}
