import { createConfig, lintFromString } from '@redocly/openapi-core';

/**
 * What an OpenAPI validator finds wrong with a document: Redocly's structural checks (the
 * "minimal" rules' errors: shapes of parameters, schemas, paths and references), as
 * `rule at pointer: message`. Warnings (missing examples, summaries) are left out.
 */
export async function openApiErrors(document: unknown): Promise<string[]> {
  const config = await createConfig({ extends: ['minimal'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'document.json', config });
  return problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`);
}
