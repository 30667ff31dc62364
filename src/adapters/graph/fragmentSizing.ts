/** Upload-session fragments must be multiples of 320 KiB (except the last) and under 60 MiB. */
export const FRAGMENT_UNIT = 320 * 1024;
const MiB = 1024 * 1024;
export const MIN_FRAGMENT = 16 * FRAGMENT_UNIT; // 5 MiB
export const MAX_FRAGMENT = 191 * FRAGMENT_UNIT; // 59.69 MiB: the largest multiple under 60 MiB

export interface FragmentSizing {
  readonly min: number;
  readonly max: number;
  /** Aim for fragments that take about this long, so progress moves and a drop costs little. */
  readonly targetSeconds: number;
}

export const defaultFragmentSizing: FragmentSizing = { min: MIN_FRAGMENT, max: MAX_FRAGMENT, targetSeconds: 2 };

/** Rounds down to a multiple of 320 KiB within [min, max]. */
export function alignFragment(bytes: number, sizing: FragmentSizing = defaultFragmentSizing): number {
  const clamped = Math.min(sizing.max, Math.max(sizing.min, bytes));
  return Math.max(FRAGMENT_UNIT, Math.floor(clamped / FRAGMENT_UNIT) * FRAGMENT_UNIT);
}

/**
 * The next fragment's size from the last one's throughput: about `targetSeconds` of transfer,
 * growing at most 2× at a time; after a failure, half the last size.
 */
export function nextFragmentSize(
  last: number,
  bytesPerSecond: number | null,
  failed: boolean,
  sizing: FragmentSizing = defaultFragmentSizing,
): number {
  if (failed) return alignFragment(last / 2, sizing);
  if (!bytesPerSecond || !Number.isFinite(bytesPerSecond)) return alignFragment(last, sizing);
  return alignFragment(Math.min(last * 2, bytesPerSecond * sizing.targetSeconds), sizing);
}

export { MiB };
