// "Did you mean": the known name nearest to a mistyped one, shared by the CLI (`--rule`,
// `explain`) and the `invalid-suppression` rule.

/** The candidate nearest to `name` (a prefix match, or edit distance at most 3), if any. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(name) || name.startsWith(candidate) ? 1 : editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Every candidate at the smallest distance `closestName` measures (same cut-off), in candidate
 * order: one name means the guess is unambiguous, several mean the caller should not pick.
 */
export function nearestNames(name: string, candidates: Iterable<string>): string[] {
  let nearest: string[] = [];
  let bestDistance = 4;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(name) || name.startsWith(candidate) ? 1 : editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      nearest = [candidate];
      bestDistance = distance;
    } else if (distance === bestDistance) {
      nearest.push(candidate);
    }
  }
  return nearest;
}

/**
 * Levenshtein distance, one row at a time; any number above `cap` when it is larger than `cap`
 * (the callers compare with their best so far, and most candidates differ in length by more).
 */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const row: number[] = [];
  for (let j = 0; j <= b.length; j++) row.push(j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
