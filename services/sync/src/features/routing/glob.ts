const cache = new Map<string, RegExp>();

/** `*` matches any run of characters, case-insensitively; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  let regex = cache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`, 'i');
    cache.set(pattern, regex);
  }
  return regex.test(value);
}

export function anyMatches(patterns: readonly string[] | undefined, value: string): boolean {
  return patterns === undefined || patterns.length === 0 || patterns.some((pattern) => globMatches(pattern, value));
}
