/** Levenshtein distance, bounded: returns max + 1 as soon as the distance must exceed `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Names from `candidates` closest to `name` by edit distance (or sharing its last segment), best first. */
export function closestNames(name: string, candidates: readonly string[], max: number): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const d = distance(name, c, limit);
    if (d <= limit) scored.push([c, d]);
    else if (leaf.length > 3 && c.endsWith(`.${leaf}`)) scored.push([c, limit + 1]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map(([c]) => c);
}
