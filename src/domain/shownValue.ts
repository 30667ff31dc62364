// Invisible formatting characters (bidirectional overrides, zero-width spaces, joiners) and control
// characters: shown as their code point, so that a refused value can neither hide what is wrong with
// it nor reverse the sentence around it (U+202E turns the rest of a line right to left).
const hidden = /[\p{Cf}\p{Cc}\u2028\u2029]/gu;

/** Longest stretch of a refused value repeated in a sentence; the rest is elided. */
export const MAX_SHOWN_LENGTH = 80;

/**
 * A refused value as a sentence may quote it: invisible and control characters written as `[U+202E]`,
 * and cut to MAX_SHOWN_LENGTH characters with an ellipsis.
 */
export function shownValue(value: string): string {
  const cut = [...value].length > MAX_SHOWN_LENGTH ? `${[...value].slice(0, MAX_SHOWN_LENGTH).join("")}…` : value;
  return cut.replace(hidden, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`);
}
