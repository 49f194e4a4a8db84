/**
 * How many people stand ahead of the visitor, from the core's `position`.
 *
 * Why not `position` itself: `position = seq - serving` counts how many more places the line
 * must move before it is the visitor's turn, and the place that move ends on is the visitor's
 * own. Everyone up to `serving` has already been let in, so the people still ahead are the ones
 * between: `position - 1` (and nobody once the visitor is next or already served).
 *
 * @returns people ahead, or null when the position is not known yet
 */
export function peopleAhead(position: number | null): number | null {
  return position === null ? null : Math.max(0, position - 1);
}
