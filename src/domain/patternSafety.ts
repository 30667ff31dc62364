interface Group {
  /** Something inside repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1). */
  repeats: boolean;
  /** The group has alternatives (`|`). */
  alternatives: boolean;
}

/** Reads a quantifier at `i`; returns its length and whether it repeats more than once, or null. */
function quantifierAt(pattern: string, i: number): { length: number; repeats: boolean } | null {
  const c = pattern[i];
  if (c === "*" || c === "+") return { length: 1, repeats: true };
  if (c === "?") return { length: 1, repeats: false };
  if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return null;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Infinity : Number(m[3]);
    return { length: m[0].length, repeats: max > 1 };
  }
  return null;
}

/**
 * Whether a regular expression can take exponentially long on some inputs: a group that repeats
 * and whose inside also repeats or has alternatives (`(a+)+`, `(a|aa)*`, `(\w+\s?)*`). A case
 * number is tested against the pattern setting in every panel; such a pattern freezes the browser
 * on a number like `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!`. Bounded repeats inside (`(-[0-9]{4})+`) count
 * too: they backtrack the same way. Lazy and possessive markers do not change the verdict.
 */
export function hasNestedRepetition(pattern: string): boolean {
  const stack: Group[] = [{ repeats: false, alternatives: false }];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      // A character class is one atom: skip to its closing bracket (a `]` first is literal).
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      while (j < pattern.length && pattern[j] !== "]") j += pattern[j] === "\\" ? 2 : 1;
      i = j;
      const q = quantifierAt(pattern, i + 1);
      if (q) {
        if (q.repeats) stack[stack.length - 1].repeats = true;
        i += q.length;
      }
      continue;
    }
    if (c === "(") {
      stack.push({ repeats: false, alternatives: false });
      continue;
    }
    if (c === "|") {
      stack[stack.length - 1].alternatives = true;
      continue;
    }
    if (c === ")") {
      const inner = stack.length > 1 ? stack.pop()! : { repeats: false, alternatives: false };
      const q = quantifierAt(pattern, i + 1);
      if (q?.repeats && (inner.repeats || inner.alternatives)) return true;
      if (inner.repeats || q?.repeats) stack[stack.length - 1].repeats = true;
      if (q) i += q.length;
      continue;
    }
    const q = quantifierAt(pattern, i);
    if (q) {
      if (q.repeats) stack[stack.length - 1].repeats = true;
      i += q.length - 1;
    }
  }
  return false;
}
