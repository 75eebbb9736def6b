import { dec } from '@tributary/platform/core';
import { ErpError } from '../../errors.js';
import { isIsoDate } from '../../shared/dates.js';

/**
 * Auto-assignment rules as documented for the segment doctype:
 * `{"conditions":[{"field","operator","value"}], "logic":"AND"|"OR"}`.
 */
export const CONDITION_FIELDS = ['annual_purchase', 'total_orders', 'customer_group', 'territory', 'creation_date'] as const;
export const CONDITION_OPERATORS = ['>=', '<=', '=', 'IN', 'BETWEEN'] as const;
type Field = (typeof CONDITION_FIELDS)[number];
type Operator = (typeof CONDITION_OPERATORS)[number];
type Scalar = string | number;

export interface Condition {
  field: Field;
  operator: Operator;
  value: Scalar | Scalar[];
}
export interface AssignmentRules {
  conditions: Condition[];
  logic: 'AND' | 'OR';
}

/** What a rule is evaluated against; metrics come from `tabHD Customer Metrics`. */
export interface CustomerFacts {
  annual_purchase: string;
  total_orders: number;
  customer_group: string | null;
  territory: string | null;
  creation_date: string;
}

const NUMERIC: readonly Field[] = ['annual_purchase', 'total_orders'];

function fail(message: string): never {
  throw ErpError.SEGMENT_RULES_INVALID(`auto_assignment_rules: ${message}`);
}

function checkScalar(field: Field, value: unknown): Scalar {
  if (typeof value !== 'string' && typeof value !== 'number') fail(`${field} needs a string or number value`);
  if (NUMERIC.includes(field)) {
    try {
      if (!dec(value).isFinite()) fail(`${field} needs a number`);
    } catch {
      fail(`${field} needs a number, got ${JSON.stringify(value)}`);
    }
  } else if (field === 'creation_date' && !isIsoDate(String(value))) fail('creation_date needs YYYY-MM-DD');
  return value;
}

/** Parses and validates rule JSON (text or object); refuses anything it could not evaluate. */
export function parseRules(input: unknown): AssignmentRules {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      fail('not valid JSON');
    }
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as AssignmentRules).conditions))
    fail('expected {"conditions":[…],"logic":"AND"|"OR"}');
  const { conditions, logic = 'AND' } = raw as { conditions: unknown[]; logic?: unknown };
  if (logic !== 'AND' && logic !== 'OR') fail('logic must be AND or OR');
  if (conditions.length === 0 || conditions.length > 20) fail('1 to 20 conditions');
  const parsed = conditions.map((c): Condition => {
    const { field, operator, value } = (c ?? {}) as Record<string, unknown>;
    if (!CONDITION_FIELDS.includes(field as Field)) fail(`unknown field ${JSON.stringify(field)}`);
    if (!CONDITION_OPERATORS.includes(operator as Operator)) fail(`unknown operator ${JSON.stringify(operator)}`);
    const f = field as Field;
    if (operator === 'IN') {
      if (!Array.isArray(value) || value.length === 0) fail('IN needs a non-empty array');
      return { field: f, operator, value: value.map((v) => checkScalar(f, v)) };
    }
    if (operator === 'BETWEEN') {
      if (!Array.isArray(value) || value.length !== 2) fail('BETWEEN needs [low, high]');
      return { field: f, operator, value: value.map((v) => checkScalar(f, v)) };
    }
    if ((operator === '>=' || operator === '<=') && !NUMERIC.includes(f) && f !== 'creation_date')
      fail(`${operator} needs a numeric or date field`);
    return { field: f, operator: operator as Operator, value: checkScalar(f, value) };
  });
  return { conditions: parsed, logic };
}

function compare(field: Field, actual: string | number | null, expected: Scalar): number | undefined {
  if (actual === null) return undefined;
  if (NUMERIC.includes(field)) return dec(actual).comparedTo(dec(expected));
  const a = String(actual);
  const b = String(expected);
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(condition: Condition, facts: CustomerFacts): boolean {
  const actual = facts[condition.field];
  const { operator, value } = condition;
  const cmp = (v: Scalar) => compare(condition.field, actual, v);
  switch (operator) {
    case '>=':
      return (cmp(value as Scalar) ?? -1) >= 0;
    case '<=':
      return (cmp(value as Scalar) ?? 1) <= 0;
    case '=':
      return cmp(value as Scalar) === 0;
    case 'IN':
      return (value as Scalar[]).some((v) => cmp(v) === 0);
    case 'BETWEEN': {
      const [low, high] = value as Scalar[];
      return (cmp(low!) ?? -1) >= 0 && (cmp(high!) ?? 1) <= 0;
    }
  }
}

export function qualifies(rules: AssignmentRules, facts: CustomerFacts): boolean {
  return rules.logic === 'AND' ? rules.conditions.every((c) => holds(c, facts)) : rules.conditions.some((c) => holds(c, facts));
}
