import fc from 'fast-check';

/** A string cut at arbitrary points, the way a serial driver hands it over. */
export function chunked(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(text.slice(from, point));
    from = point;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part.length > 0);
}

export const cutsArb = fc.array(fc.nat({ max: 10_000 }), { maxLength: 20 });
