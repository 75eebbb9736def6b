import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const ALERT_RULES = new URL('../../deploy/prometheus/alerts.yml', import.meta.url);
export const DASHBOARD_DIR = new URL('../../deploy/grafana/dashboards/', import.meta.url);

/** Sample names a family of each type puts on the wire. */
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * Every sample name a scrape declares, from its `# TYPE` lines: a family with no samples yet (a
 * labelled counter nothing has counted, PGlite's pool gauges) is still exported.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    for (const suffix of SUFFIXES[match[2]!] ?? ['']) names.add(`${match[1]}${suffix}`);
  }
  return names;
}

/** PromQL words that look like metric names but are not. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);

/**
 * The metric (or recorded series) names a PromQL expression reads. Strings, label matchers,
 * ranges, grouping label lists and Grafana variables are removed first; what remains that is an
 * identifier not followed by `(` and not a keyword is a series name.
 */
export function seriesNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\{?\w+\}?/g, '');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    if (!KEYWORDS.has(match[1]!.toLowerCase())) names.add(match[1]!);
  }
  return [...names];
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

export function readAlertRules(): RuleFile {
  return parse(readFileSync(ALERT_RULES, 'utf8')) as RuleFile;
}

export interface Dashboard {
  file: string;
  title: string;
  uid: string;
  panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
}

export function readDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, DASHBOARD_DIR), 'utf8')) as Omit<Dashboard, 'file'>) }));
}
