let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance, bounded: returns max + 1 as soon as the distance must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2 + 1);
    rowB = new Int32Array(b.length * 2 + 1);
  }
  // Two reused rows: this runs once per known field name for every unknown one, so allocation dominates.
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = prev[j] + 1;
      const insertion = cur[j - 1] + 1;
      const v = substitution < deletion ? (substitution < insertion ? substitution : insertion) : deletion < insertion ? deletion : insertion;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev;
    prev = cur;
    cur = t;
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
  // Beyond a few edits a "suggestion" is noise, and a wide limit makes every comparison expensive.
  const limit = Math.min(5, Math.max(2, Math.floor(name.length / 4)));
  const looseName = loose(name);
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  const dotLeaf = `.${leaf}`;
  const checkLeaf = leaf.length > 3;
  let looseCandidates = looseCache.get(candidates);
  if (!looseCandidates) {
    looseCandidates = candidates.map(loose);
    looseCache.set(candidates, looseCandidates);
  }
  const scores = new Map<string, number>();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c === name) continue;
    const lc = looseCandidates[i];
    // Most candidates differ in length by more than the limit; skip the distance work for them.
    const raw = Math.abs(c.length - name.length) > limit ? limit + 1 : boundedDistance(name, c, limit);
    const relaxed = Math.abs(lc.length - looseName.length) > limit ? limit + 1.5 : boundedDistance(looseName, lc, limit) + 0.5;
    // A known field followed by more segments, as in Kibana's `.keyword` habit.
    const extended = name.startsWith(c) && name[c.length] === '.' ? 1.5 : Infinity;
    const score = Math.min(raw, relaxed, extended);
    if (score <= limit) scores.set(c, score);
    else if (checkLeaf && c.endsWith(dotLeaf)) scores.set(c, limit + 1);
  }
  viaFlattened(name, flattenedRoots, scores);
  return [...scores]
    .sort(([a, x], [b, y]) => x - y || commonPrefix(name, b) - commonPrefix(name, a) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([c]) => c);
}
