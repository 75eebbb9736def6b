import { describe, expect, it } from 'vitest';
import { isSupportedNode, nodeVersionProblem, SUPPORTED_NODE } from './node-version.js';

describe('the Node version check', () => {
  it('accepts 20.19+, 22.12+ and 24', () => {
    for (const version of ['20.19.0', 'v20.20.2', '22.12.0', '22.21.1', '24.0.0', 'v24.11.1']) expect(isSupportedNode(version)).toBe(true);
  });

  it('refuses older minors, odd lines, other majors and nonsense', () => {
    for (const version of ['20.18.3', '22.11.0', '18.20.4', '21.7.3', '23.11.0', '25.0.0', '16.0.0', 'v20', '', 'banana']) {
      expect(isSupportedNode(version)).toBe(false);
    }
  });

  it('says which version ran and which are supported', () => {
    expect(nodeVersionProblem('24.1.0')).toBeUndefined();
    expect(nodeVersionProblem('18.20.4')).toBe(`Node.js 18.20.4 is not supported: use ${SUPPORTED_NODE} (docs/operations.md)`);
  });
});
