/** How a caller tells a sequence runner which filters an event passes (see SequenceRunner.push). */

/**
 * Which of a sequence's filters an event passes, when the caller has already decided (the engine evaluates
 * them on its field table): 1 at stage i (missing stages included, in query order) and, after them, at the
 * `until` filter; 0 where it fails; HIT_UNKNOWN where the caller left it open. Without it the runner evaluates
 * each filter itself.
 */
export type StageHits = ArrayLike<number>;

/**
 * A filter the caller did not evaluate: the runner tests it on the event itself if, when the event's turn
 * comes, some partial can use it. With a lateness window the state an event meets comes later than the event,
 * so a caller evaluates what will probably be live (see `liveFilters`) and leaves the rest open.
 */
export const HIT_UNKNOWN = 2;
