/** The pieces of multipart/mixed that Dataverse's `$batch` uses, shared by the client and the sandbox. */

/** The parts between `--boundary` delimiters, without the preamble and the closing delimiter. */
export function splitMultipart(text: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter);
  // chunks[0] is the preamble; what follows the closing delimiter starts with "--".
  return chunks
    .slice(1)
    .filter((c) => !c.startsWith("--"))
    .map((c) => c.replace(/^\r?\n/, "").replace(/\r?\n$/, ""));
}

/** A part's headers (names in lower case) and its body, split at the first empty line. */
export function headersAndBody(text: string): { headers: Record<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : "";
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}
