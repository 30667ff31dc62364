import { registerIcons } from "@fluentui/react/lib/Styling";
import type { ReactElement } from "react";

/**
 * Fluent v8's icons, registered from SVG bundled in the script. `initializeIcons()` would fetch
 * icon fonts from Microsoft's CDN at run time, which a strict CSP and the offline sandbox refuse
 * (TOOLCHAIN.md); web resources cannot ship fonts either. Each icon is 16×16, drawn with
 * currentColor so it follows the text colour and high-contrast themes.
 */
function svg(children: ReactElement | ReactElement[], filled = false): ReactElement {
  return (
    <svg
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
      fill={filled ? "currentColor" : "none"}
      stroke={filled ? "none" : "currentColor"}
      strokeWidth={1.2}
      strokeLinecap="round"
      strokeLinejoin="round"
      style={{ display: "inline-block", verticalAlign: "-0.125em" }}
    >
      {children}
    </svg>
  );
}

const circle = <circle key="c" cx="8" cy="8" r="6.4" />;

/** The icons the panels and Fluent's own components (MessageBar, Dropdown, Checkbox, Dialog) use. */
export const panelIcons: Readonly<Record<string, ReactElement>> = {
  // Fluent internals
  Info: svg([circle, <path key="p" d="M8 7.2v4M8 4.9v.1" />]),
  Error: svg([circle, <path key="p" d="M8 4.6v4.2M8 11v.1" />]),
  Blocked2: svg([circle, <path key="p" d="M3.6 12.4l8.8-8.8" />]),
  ErrorBadge: svg([circle, <path key="p" d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" />]),
  Completed: svg([circle, <path key="p" d="M5.2 8.2l1.9 1.9 3.7-4" />]),
  Warning: svg([<path key="t" d="M8 1.9L14.6 13.6H1.4z" />, <path key="p" d="M8 6.2v3.6M8 11.6v.1" />]),
  Clear: svg(<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" />),
  Cancel: svg(<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" />),
  ChevronDown: svg(<path d="M3.5 6l4.5 4.5L12.5 6" />),
  ChevronUp: svg(<path d="M3.5 10L8 5.5l4.5 4.5" />),
  ChevronRight: svg(<path d="M6 3.5l4.5 4.5L6 12.5" />),
  DoubleChevronDown: svg(<path d="M4 4l4 3.5L12 4M4 8.5L8 12l4-3.5" />),
  DoubleChevronUp: svg(<path d="M4 12l4-3.5 4 3.5M4 7.5L8 4l4 3.5" />),
  CheckMark: svg(<path d="M3 8.5l3.2 3.2L13 4.8" />),
  StatusCircleCheckmark: svg(<path d="M3 8.5l3.2 3.2L13 4.8" />),
  // The panels' own
  Share: svg([
    <path key="a" d="M10 2.5h3.5V6M13.5 2.5L8 8" />,
    <path key="b" d="M12 9.5v3.2c0 .5-.3.8-.8.8H3.3c-.5 0-.8-.3-.8-.8V4.8c0-.5.3-.8.8-.8h3.2" />,
  ]),
  Link: svg([
    <path key="a" d="M6.8 9.2a2.6 2.6 0 003.7 0l2.3-2.3a2.6 2.6 0 00-3.7-3.7l-.9.9" />,
    <path key="b" d="M9.2 6.8a2.6 2.6 0 00-3.7 0L3.2 9.1a2.6 2.6 0 003.7 3.7l.9-.9" />,
  ]),
  Delete: svg([<path key="a" d="M2.5 4h11M6.3 4V2.6h3.4V4" />, <path key="b" d="M3.8 4l.7 9.4h7l.7-9.4M6.6 6.5v4.5M9.4 6.5v4.5" />]),
  Mail: svg([<rect key="r" x="1.8" y="3.3" width="12.4" height="9.4" rx="1" />, <path key="p" d="M2.2 4l5.8 4.6L13.8 4" />]),
  Contact: svg([<circle key="h" cx="8" cy="5.4" r="2.8" />, <path key="b" d="M2.6 14c.4-2.8 2.7-4.6 5.4-4.6s5 1.8 5.4 4.6" />]),
  People: svg([
    <circle key="h" cx="6" cy="5.6" r="2.4" />,
    <path key="b" d="M1.8 13.5c.3-2.4 2-3.9 4.2-3.9s3.9 1.5 4.2 3.9" />,
    <path key="c" d="M10.4 3.6a2.3 2.3 0 010 4.3M12 9.9c1.3.5 2 1.8 2.2 3.6" />,
  ]),
  FabricFolder: svg(<path d="M1.8 4.2c0-.6.4-1 1-1h3.3l1.5 1.6h5.6c.6 0 1 .4 1 1v6.9c0 .6-.4 1-1 1H2.8c-.6 0-1-.4-1-1z" />),
  FolderOpen: svg(
    <path d="M1.8 12.4V4.2c0-.6.4-1 1-1h3.3l1.5 1.6h4.8c.6 0 1 .4 1 1v1.3M1.8 12.4l1.9-5c.1-.4.5-.6.9-.6h9.2c.5 0 .8.4.7.9l-1.5 4.5c-.1.4-.5.6-.9.6H2.7c-.5 0-.9-.2-.9-.4z" />,
  ),
  Page: svg([<path key="a" d="M3.5 1.8h5.8l3.2 3.2v9.2H3.5z" />, <path key="b" d="M9.2 1.8v3.3h3.3" />]),
  Lock: svg([<rect key="r" x="3" y="7" width="10" height="7" rx="1" />, <path key="p" d="M5.3 7V5a2.7 2.7 0 015.4 0v2" />]),
  Refresh: svg([<path key="a" d="M13.2 8a5.2 5.2 0 11-1.6-3.8" />, <path key="b" d="M12 1.8v2.7H9.3" />]),
  Download: svg([<path key="a" d="M8 2v8.5M4.6 7.2L8 10.6l3.4-3.4" />, <path key="b" d="M2.5 13.5h11" />]),
  Upload: svg([<path key="a" d="M8 11V2.5M4.6 5.8L8 2.4l3.4 3.4" />, <path key="b" d="M2.5 13.5h11" />]),
  Clock: svg([circle, <path key="p" d="M8 4.5V8l2.4 1.6" />]),
  Shield: svg(<path d="M8 1.8l5.2 1.9v4c0 3.2-2.2 5.6-5.2 6.5-3-.9-5.2-3.3-5.2-6.5v-4z" />),
  ShieldCheck: svg([
    <path key="s" d="M8 1.8l5.2 1.9v4c0 3.2-2.2 5.6-5.2 6.5-3-.9-5.2-3.3-5.2-6.5v-4z" />,
    <path key="p" d="M5.6 8l1.7 1.7 3.1-3.3" />,
  ]),
  Edit: svg(<path d="M10.6 2.6l2.8 2.8-8 8H2.6v-2.8z" />),
  View: svg([
    <path key="e" d="M1.4 8S3.8 3.6 8 3.6 14.6 8 14.6 8 12.2 12.4 8 12.4 1.4 8 1.4 8z" />,
    <circle key="c" cx="8" cy="8" r="2" />,
  ]),
  Add: svg(<path d="M8 2.5v11M2.5 8h11" />),
  Ticket: svg(<path d="M1.8 4.5h12.4v2a1.5 1.5 0 000 3v2H1.8v-2a1.5 1.5 0 000-3zM10 4.5v7" />),
  Copy: svg([
    <rect key="a" x="5" y="5" width="8.5" height="8.5" rx="1" />,
    <path key="b" d="M11 5V3.3c0-.5-.3-.8-.8-.8H3.3c-.5 0-.8.3-.8.8v6.9c0 .5.3.8.8.8H5" />,
  ]),
  Globe: svg([circle, <path key="p" d="M1.6 8h12.8M8 1.6c1.8 1.8 2.6 4 2.6 6.4S9.8 12.6 8 14.4C6.2 12.6 5.4 10.4 5.4 8S6.2 3.4 8 1.6z" />]),
  More: svg(
    [<circle key="a" cx="3" cy="8" r="1.2" />, <circle key="b" cx="8" cy="8" r="1.2" />, <circle key="c" cx="13" cy="8" r="1.2" />],
    true,
  ),
  OpenInNewWindow: svg([<path key="a" d="M9.5 2.5h4v4M13.5 2.5L7.5 8.5" />, <path key="b" d="M12 9.5v4H2.5V4h4" />]),
};

let registered = false;

/** Registers the panel icons once per page (Fluent warns when an icon name is registered twice). */
export function registerPanelIcons(): void {
  if (registered) return;
  registered = true;
  registerIcons({ icons: panelIcons }, { disableWarnings: true });
}
