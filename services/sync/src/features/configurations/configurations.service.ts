import { Cron } from 'croner';
import { SyncError } from '../../errors.js';
import { DEFAULT_SCHEDULES, type ConfigurationInput } from './configurations.schemas.js';

/** What validation needs of the business rules (the conflicts feature's registry satisfies it). */
export interface RuleNames {
  has(name: string): boolean;
  names(): string[];
}

/**
 * Rules a schema cannot say: the target must be reachable, a named business rule must exist,
 * a schedule must parse, and a webhook without a URL cannot be active.
 */
export function validateConfiguration(input: ConfigurationInput, context: { peers: Record<string, string>; rules: RuleNames }): void {
  const problems: string[] = [];
  const spec = input.configuration;
  if (spec.target.kind === 'service') {
    if (spec.target.service !== input.target_system) problems.push('configuration.target.service must equal target_system');
    if (!Object.hasOwn(context.peers, spec.target.service))
      problems.push(`no service "${spec.target.service}" is known to this deployment`);
  } else if (spec.target.url === null && input.is_active !== false) {
    problems.push('a webhook target needs a URL before the configuration can be active');
  }
  if (input.source_system === input.target_system) problems.push('source_system and target_system must differ');
  const conflict = spec.conflict;
  if (conflict?.strategy === 'business_rule' && (!conflict.rule || !context.rules.has(conflict.rule))) {
    problems.push(`conflict.rule must name a registered business rule (${context.rules.names().join(', ')})`);
  }
  for (const [field, rule] of Object.entries(conflict?.fieldRules ?? {})) {
    if (rule.rule === 'stage_priority' && !rule.stages) problems.push(`fieldRules.${field}: stage_priority needs stages`);
  }
  const frequency = input.sync_frequency ?? 'real_time';
  const schedule = spec.schedule ?? DEFAULT_SCHEDULES[frequency];
  if (spec.schedule && frequency === 'real_time') problems.push('a schedule applies only to configurations that are not real_time');
  if (schedule) {
    try {
      new Cron(schedule, { paused: true }).stop();
    } catch (error) {
      problems.push(`schedule "${schedule}" is not a valid cron expression: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw SyncError.SYNC_CONFIG_INVALID(`Invalid configuration: ${problems.join('; ')}`, { details: { problems } });
}
