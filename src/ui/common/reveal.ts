/**
 * Brings a fixed-position element (a Fluent dialog) fully into the user's view when the panel's
 * frame is taller than what the form shows of it. `scrollIntoView` on a fixed element does not
 * scroll the documents around the frame (Chromium), so a static probe at the same place does it.
 */
export function revealFixed(element: Element): void {
  const doc = element.ownerDocument;
  const rect = element.getBoundingClientRect();
  const probe = doc.createElement("div");
  probe.setAttribute("aria-hidden", "true");
  const scrollTop = doc.scrollingElement?.scrollTop ?? 0;
  Object.assign(probe.style, {
    position: "absolute",
    left: "0",
    width: "1px",
    top: `${rect.top + scrollTop}px`,
    height: `${Math.max(1, rect.height)}px`,
    pointerEvents: "none",
    visibility: "hidden",
  });
  doc.body.appendChild(probe);
  try {
    if (typeof probe.scrollIntoView === "function") probe.scrollIntoView({ block: "nearest" });
  } finally {
    probe.remove();
  }
}
