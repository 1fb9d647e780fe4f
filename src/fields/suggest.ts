/** Levenshtein distance, bounded: returns max + 1 as soon as the distance must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
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

/** Spelling-insensitive form: `additionalEventData` and `additional_eventdata` both become `additionaleventdata`. */
function loose(s: string): string {
  return s.toLowerCase().replace(/_/g, '');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Is `needle` an in-order subsequence of `hay`? */
function isSubsequence(needle: readonly string[], hay: readonly string[]): boolean {
  let j = 0;
  for (const segment of hay) if (j < needle.length && segment === needle[j]) j++;
  return j === needle.length;
}

/**
 * Re-homes a name under a `flattened` field when the name skips a segment of that field's path: raw CloudTrail
 * objects live under `aws.cloudtrail.flattened.*`, so `aws.cloudtrail.request_parameters.modelId` (a sub-key of a
 * keyword field, which Elasticsearch does not have) most likely means `aws.cloudtrail.flattened.request_parameters.modelId`.
 * Score: the number of segments skipped.
 */
function viaFlattened(name: string, roots: readonly string[], out: Map<string, number>): void {
  const segments = name.split('.');
  const looseSegments = segments.map(loose);
  for (const root of roots) {
    const rawRootSegments = root.split('.');
    const rootSegments = rawRootSegments.map(loose);
    const leaf = rootSegments[rootSegments.length - 1];
    for (let k = 1; k < segments.length; k++) {
      if (looseSegments[k - 1] !== leaf || !isSubsequence(looseSegments.slice(0, k), rootSegments)) continue;
      const candidate = `${root}.${segments.slice(k).join('.')}`;
      if (candidate === name) continue;
      // Half a point more when the segments only match ignoring case and underscores.
      const score = rootSegments.length - k + (isSubsequence(segments.slice(0, k), rawRootSegments) ? 0 : 0.5);
      out.set(candidate, Math.min(out.get(candidate) ?? Infinity, score));
    }
  }
}

const looseCache = new WeakMap<readonly string[], string[]>();

/**
 * Names from `candidates` closest to `name`, best first: by edit distance (also after ignoring case and
 * underscores), known fields the name extends (`event.outcome.keyword`), names sharing its last segment, and
 * sub-keys of `flattenedRoots` the name seems to mean.
 */
export function closestNames(name: string, candidates: readonly string[], max: number, flattenedRoots: readonly string[] = []): string[] {
  if (max <= 0 || name === '') return [];
  const limit = Math.max(2, Math.floor(name.length / 4));
  const looseName = loose(name);
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  let looseCandidates = looseCache.get(candidates);
  if (!looseCandidates) {
    looseCandidates = candidates.map(loose);
    looseCache.set(candidates, looseCandidates);
  }
  const scores = new Map<string, number>();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c === name) continue;
    const raw = boundedDistance(name, c, limit);
    const relaxed = boundedDistance(looseName, looseCandidates[i], limit) + 0.5;
    // A known field followed by more segments, as in Kibana's `.keyword` habit.
    const extended = name.startsWith(c) && name[c.length] === '.' ? 1.5 : Infinity;
    const score = Math.min(raw, relaxed, extended);
    if (score <= limit) scores.set(c, score);
    else if (leaf.length > 3 && c.endsWith(`.${leaf}`)) scores.set(c, limit + 1);
  }
  viaFlattened(name, flattenedRoots, scores);
  return [...scores]
    .sort(([a, x], [b, y]) => x - y || commonPrefix(name, b) - commonPrefix(name, a) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([c]) => c);
}
