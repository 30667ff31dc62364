/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the tag. */
export function jsonScript(id: string, value: unknown): string {
  return `<script type="application/json" id="${esc(id)}">${JSON.stringify(value).replace(/</g, "\\u003c")}</script>`;
}

/** Two letters for an avatar: "Alex Agent" → "AA". */
export function initials(name: string): string {
  const parts = name
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1][0] ?? "") : "")).toUpperCase() || "?";
}

/** A record's URL in Dynamics' own form. */
export function recordUrl(table: string, id: string): string {
  return `/main.aspx?pagetype=entityrecord&etn=${encodeURIComponent(table)}&id=${encodeURIComponent(id)}`;
}

export function listUrl(table: string, view?: string): string {
  return `/main.aspx?pagetype=entitylist&etn=${encodeURIComponent(table)}${view ? `&viewid=${encodeURIComponent(view)}` : ""}`;
}

/** Small inline SVG icons in the Fluent style (the shell works offline, so no icon font). */
export const icons = {
  chat: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 3.5h11v7.5H7l-3 2.5V11H2.5z"/><path d="M5 6h6M5 8.5h4"/></svg>`,
  waffle: `<svg viewBox="0 0 16 16" width="16" height="16" fill="currentColor"><circle cx="3" cy="3" r="1.3"/><circle cx="8" cy="3" r="1.3"/><circle cx="13" cy="3" r="1.3"/><circle cx="3" cy="8" r="1.3"/><circle cx="8" cy="8" r="1.3"/><circle cx="13" cy="8" r="1.3"/><circle cx="3" cy="13" r="1.3"/><circle cx="8" cy="13" r="1.3"/><circle cx="13" cy="13" r="1.3"/></svg>`,
  menu: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.2"><path d="M2 4h12M2 8h12M2 12h12"/></svg>`,
  home: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 7.5 8 3l5.5 4.5V13h-4V9.5h-3V13h-4z"/></svg>`,
  clock: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><circle cx="8" cy="8" r="5.5"/><path d="M8 5v3.5l2.5 1.5"/></svg>`,
  pin: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M6 2.5h4l-.5 4 2 2H4.5l2-2zM8 8.5V14"/></svg>`,
  case: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><rect x="2.5" y="4.5" width="11" height="8.5" rx="1"/><path d="M6 4.5V3h4v1.5"/></svg>`,
  ticket: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><rect x="2.5" y="3" width="11" height="7" rx="1"/><path d="M5.5 13h5M8 10v3"/></svg>`,
  dashboard: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><rect x="2.5" y="2.5" width="4.5" height="6" rx=".5"/><rect x="9" y="2.5" width="4.5" height="3.5" rx=".5"/><rect x="2.5" y="10.5" width="4.5" height="3" rx=".5"/><rect x="9" y="8" width="4.5" height="5.5" rx=".5"/></svg>`,
  exchange: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 5h9l-2.5-2.5M13.5 11h-9l2.5 2.5"/></svg>`,
  account: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><rect x="3" y="2.5" width="10" height="11"/><path d="M5.5 5h1M9.5 5h1M5.5 7.5h1M9.5 7.5h1M7 13.5v-3h2v3"/></svg>`,
  contact: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><circle cx="8" cy="5.5" r="2.5"/><path d="M3 13.5c.5-2.5 2.5-4 5-4s4.5 1.5 5 4"/></svg>`,
  bell: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M4 11V7a4 4 0 0 1 8 0v4l1 1.5H3zM6.5 13.5a1.5 1.5 0 0 0 3 0"/></svg>`,
  search: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.2"><circle cx="7" cy="7" r="4.5"/><path d="m10.5 10.5 3.5 3.5"/></svg>`,
  gear: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><circle cx="8" cy="8" r="2"/><path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"/></svg>`,
  help: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><circle cx="8" cy="8" r="6"/><path d="M6.3 6.3a1.8 1.8 0 1 1 2.4 1.7c-.5.2-.7.6-.7 1.1v.4M8 11.3v.2"/></svg>`,
  back: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.2"><path d="M13 8H3m4-4L3 8l4 4"/></svg>`,
  save: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 2.5h9l2 2v9h-11z"/><path d="M5 2.5v3h5v-3M5 13.5v-4h6v4"/></svg>`,
  saveClose: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 2.5h9l2 2v4M8.5 13.5h-6v-11"/><path d="m10 10 3.5 3.5M13.5 10 10 13.5"/></svg>`,
  add: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.2"><path d="M8 3v10M3 8h10"/></svg>`,
  refresh: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v2.5h-2.5"/></svg>`,
  delete: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M3 4.5h10M6 4.5V3h4v1.5M4.5 4.5l.5 9h6l.5-9"/></svg>`,
  resolve: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.2"><path d="m3 8.5 3 3 7-7"/></svg>`,
  send: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2 8 14 2.5 11 14 8 9.5zM8 9.5l6-7"/></svg>`,
  share: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><circle cx="12" cy="4" r="1.8"/><circle cx="4" cy="8" r="1.8"/><circle cx="12" cy="12" r="1.8"/><path d="m5.6 7.2 4.8-2.4M5.6 8.8l4.8 2.4"/></svg>`,
  note: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M3 2.5h7l3 3v8H3z"/><path d="M10 2.5v3h3M5.5 8h5M5.5 10.5h5"/></svg>`,
  mail: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><rect x="2" y="3.5" width="12" height="9" rx="1"/><path d="m2.5 4 5.5 4.5L13.5 4"/></svg>`,
  chevron: `<svg viewBox="0 0 16 16" width="12" height="12" fill="none" stroke="currentColor" stroke-width="1.2"><path d="m4 6 4 4 4-4"/></svg>`,
  more: `<svg viewBox="0 0 16 16" width="16" height="16" fill="currentColor"><circle cx="3.5" cy="8" r="1.1"/><circle cx="8" cy="8" r="1.1"/><circle cx="12.5" cy="8" r="1.1"/></svg>`,
  filter: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M2.5 3h11L9.5 8v4.5l-3 1V8z"/></svg>`,
  lock: `<svg viewBox="0 0 16 16" width="12" height="12" fill="none" stroke="currentColor" stroke-width="1.2"><rect x="3.5" y="7" width="9" height="6.5" rx="1"/><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2"/></svg>`,
  lightbulb: `<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" stroke-width="1.1"><path d="M6 12.5h4M6.5 14h3M5.5 10.5C4.3 9.6 3.5 8.3 3.5 6.8a4.5 4.5 0 0 1 9 0c0 1.5-.8 2.8-2 3.7v.5h-5z"/></svg>`,
} as const;

export type IconName = keyof typeof icons;
