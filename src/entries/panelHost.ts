/**
 * The panel side of the form handshake, and the ONE module of the panels that touches `window`,
 * `parent.Xrm`, Web Storage and the clipboard (STYLE.md habit 1). Shared by the case and ticket
 * panels and the upload dialog; everything else receives plain values from here.
 *
 * The form's OnLoad calls `setClientApiContext(Xrm, formContext)` through `getContentWindow()`
 * (dataverse.md §1), again after a save and when a tab re-creates the frame; each call renders
 * again. When no handshake arrives within a short wait (a form without our OnLoad, an older
 * client), the page falls back to `parent.Xrm`, which Microsoft keeps working for HTML web
 * resources embedded in forms.
 */
import type { PanelCommands, PanelWindow } from "./panelBridge";

// Fluent v8 registers Segoe UI web fonts from Microsoft's CDN when its styling module loads; web
// resources cannot ship fonts, the sandbox is offline and a strict CSP refuses the CDN. An empty
// base URL turns that off (the page uses the system's Segoe UI, as Dynamics does). This runs
// before Fluent's modules do, because each panel entry imports this module first.
{
  const w = window as unknown as { FabricConfig?: { fontBaseUrl?: string } };
  w.FabricConfig = { ...w.FabricConfig, fontBaseUrl: w.FabricConfig?.fontBaseUrl ?? "" };
}

/** The query-string parameters an HTML web resource accepts (webpage-html-web-resources.md). */
export interface PanelParams {
  readonly typename?: string;
  readonly id?: string;
  readonly data?: string;
  readonly orgname?: string;
  readonly userlcid?: number;
}

/** What a panel gets from its host, each time the host hands it over. */
export interface PanelContext {
  readonly xrm: Xrm.XrmStatic;
  readonly formContext?: Xrm.FormContext;
  readonly source: "handshake" | "parent";
  readonly params: PanelParams;
  /** The record the form shows (braces removed, lower case); undefined for a record not saved yet. */
  readonly recordId?: string;
  /** 1 for the first hand-over, then 2, 3… after saves and tab changes. */
  readonly sequence: number;
}

export interface PanelHostOptions {
  /** How long to wait for the handshake before trying `parent.Xrm` (default 800 ms). */
  readonly fallbackMs?: number;
  /** Called once when neither the handshake nor `parent.Xrm` is there: the page was opened outside a form. */
  readonly onUnavailable?: () => void;
}

function cleanId(id: string | null | undefined): string | undefined {
  const v = (id ?? "").replace(/[{}]/g, "").trim().toLowerCase();
  return v || undefined;
}

/** Reads the parameters Dynamics passes to a web resource (`PassParameters`, `Data`). */
export function readPanelParams(search: string): PanelParams {
  const q = new URLSearchParams(search);
  const lcid = q.get("userlcid");
  const get = (name: string) => q.get(name) ?? undefined;
  return {
    typename: get("typename"),
    id: cleanId(q.get("id")),
    data: get("data"),
    orgname: get("orgname"),
    userlcid: lcid && /^\d+$/.test(lcid) ? Number(lcid) : undefined,
  };
}

function recordIdOf(formContext: Xrm.FormContext | undefined, params: PanelParams): string | undefined {
  try {
    return cleanId(formContext?.data?.entity?.getId()) ?? params.id;
  } catch {
    return params.id;
  }
}

function parentXrm(): { xrm: Xrm.XrmStatic; formContext?: Xrm.FormContext } | undefined {
  try {
    if (window.parent === window) return undefined;
    const xrm = (window.parent as unknown as { Xrm?: Xrm.XrmStatic }).Xrm;
    if (!xrm) return undefined;
    // Xrm.Page is deprecated, yet still "the only way to access the form context" from here. Off a
    // form (a dashboard) there is none, and reading it may throw: Xrm itself is still usable.
    let page: Xrm.FormContext | undefined;
    try {
      page = (xrm as unknown as { Page?: Xrm.FormContext }).Page;
    } catch {
      page = undefined;
    }
    return { xrm, formContext: page && page.data ? page : undefined };
  } catch {
    // A parent on another origin: not a Dynamics form.
    return undefined;
  }
}

/**
 * Starts listening for the host. `onContext` runs for every hand-over (first, after a save, after
 * a tab re-created the frame). Returns a function that stops listening.
 */
export function startPanelHost(onContext: (context: PanelContext) => void, options: PanelHostOptions = {}): () => void {
  const win = window as PanelWindow;
  const params = readPanelParams(window.location.search);
  let sequence = 0;
  let handshook = false;
  const emit = (xrm: Xrm.XrmStatic, formContext: Xrm.FormContext | undefined, source: PanelContext["source"]) => {
    sequence += 1;
    onContext({ xrm, formContext, source, params, recordId: recordIdOf(formContext, params), sequence });
  };
  win.setClientApiContext = (xrm, formContext) => {
    handshook = true;
    emit(xrm, formContext, "handshake");
  };
  const timer = window.setTimeout(() => {
    if (handshook) return;
    const found = parentXrm();
    if (found) emit(found.xrm, found.formContext, "parent");
    else options.onUnavailable?.();
  }, options.fallbackMs ?? 800);
  return () => {
    window.clearTimeout(timer);
    delete win.setClientApiContext;
  };
}

/** Makes the panel's commands reachable from the form's command bar (`cfxPanelCommands`). */
export function registerPanelCommands(commands: PanelCommands): void {
  (window as PanelWindow).cfxPanelCommands = commands;
}

let unloadGuard: ((e: BeforeUnloadEvent) => void) | null = null;

/**
 * While `active`, leaving the page (a reload, a navigation of the app) asks the browser's "Leave
 * site?" first: an upload is running in this frame and would stop.
 */
export function guardUnload(active: boolean): void {
  if (active && !unloadGuard) {
    unloadGuard = (e) => {
      e.preventDefault();
      // Older Chromium versions need returnValue set to show the prompt.
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", unloadGuard);
  } else if (!active && unloadGuard) {
    window.removeEventListener("beforeunload", unloadGuard);
    unloadGuard = null;
  }
}

/**
 * Closes the side dialog this page runs in. Unified Interface gives a dialog's page no API for it,
 * so this presses the dialog's own close button (`data-id="dialogCloseIconButton"`) in the app
 * window; false when that is out of reach (another origin, a changed host), and the dialog stays.
 */
export function closeHostDialog(): boolean {
  try {
    const button = window.parent?.document.querySelector<HTMLElement>('button[data-id="dialogCloseIconButton"]');
    if (!button || window.parent === window) return false;
    button.click();
    return true;
  } catch {
    return false;
  }
}

/** sessionStorage, or undefined where the browser blocks it (third-party storage in a frame). */
export function sessionStore(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** localStorage, or undefined where blocked (upload sessions use it to resume after a reload). */
export function localStore(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Copies text to the clipboard; falls back to a hidden text area where the Clipboard API is refused. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Frames without clipboard-write permission: the old way still works from a click.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser did not allow copying to the clipboard.");
}

/**
 * Starts a browser download from an address that answers with `Content-Disposition: attachment`
 * (SharePoint's download URL): the panel's own frame follows it, the browser saves the file and
 * the page stays as it is. No new window, which a popup blocker would stop after an await.
 */
export function startDownload(url: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noopener noreferrer";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The element panels render into. */
export function rootElement(): HTMLElement {
  const el = document.getElementById("root");
  if (!el) throw new Error("The panel's HTML has no #root element.");
  return el;
}

/** The browser's time zone (IANA), for dates in the user's zone. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The absolute URL of a sibling web resource, by a path relative to this page (never root-relative). */
export function webResourceUrl(relative: string): string {
  return new URL(relative, window.location.href).toString();
}

/**
 * Redraws the form's timeline walls (control type `timelinewall`, Client API `control.refresh`)
 * after a panel action wrote notes, so they show without reloading the form. Outside a form, or
 * on a host without the control, nothing happens.
 */
export function refreshTimeline(ctx: PanelContext): void {
  try {
    ctx.formContext?.ui?.controls?.forEach((c) => {
      if (c.getControlType() === ("timelinewall" as Xrm.Controls.ControlType)) (c as unknown as { refresh?: () => void }).refresh?.();
    });
  } catch {
    // The timeline is a convenience: the notes are written either way.
  }
}
