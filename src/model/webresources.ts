/**
 * The web resources the solution ships. `name` is the Dataverse name; the built file sits at
 * `webresources/dist/<name>`. webpack (entries), the packer (WebResources) and the sandbox
 * (serving `/WebResources/<name>`) all read this list.
 */
export type WebResourceType = "html" | "js" | "css" | "svg" | "png";

export interface WebResourceDef {
  readonly name: string;
  readonly displayName: string;
  readonly type: WebResourceType;
  readonly description: string;
  /** For JS built by webpack: the entry module under src/entries. */
  readonly entry?: string;
}

export const webResources: readonly WebResourceDef[] = [
  {
    name: "cfx_/panels/case.html",
    displayName: "Case File Exchange: case panel",
    type: "html",
    description: "The agent's panel on the Case form.",
  },
  {
    name: "cfx_/panels/ticket.html",
    displayName: "Case File Exchange: hardware ticket panel",
    type: "html",
    description: "The service specialist's panel on the Hardware Ticket form.",
  },
  {
    name: "cfx_/panels/upload.html",
    displayName: "Case File Exchange: upload dialog",
    type: "html",
    description: "The upload dialog, opened as a side dialog so that long uploads survive tab changes.",
  },
  {
    name: "cfx_/auth/redirect.html",
    displayName: "Case File Exchange: sign-in redirect",
    type: "html",
    description: "The redirect URI registered for the Entra app: hands the sign-in response back to the panel.",
  },
  {
    name: "cfx_/dashboards/retention-health.html",
    displayName: "Case File Exchange: retention job health",
    type: "html",
    description: "The supervisors' dashboard tile: the retention job's last successful run, what failed, and whether a run is overdue.",
  },
  {
    name: "cfx_/js/vendor.js",
    displayName: "Case File Exchange: shared libraries",
    type: "js",
    description: "React and the Fluent UI parts that at least two panels use, shared so a second panel loads from cache.",
  },
  {
    name: "cfx_/js/graph.js",
    displayName: "Case File Exchange: sign-in and Graph",
    type: "js",
    description: "MSAL, pnpjs and the SharePoint adapters, loaded by every panel on demand at startup and shared from the cache.",
  },
  {
    name: "cfx_/js/case-panel.js",
    displayName: "Case File Exchange: case panel script",
    type: "js",
    description: "The case panel.",
    entry: "src/entries/casePanel.tsx",
  },
  {
    name: "cfx_/js/case-dialogs.js",
    displayName: "Case File Exchange: case panel dialogs",
    type: "js",
    description: "The case panel's dialogs (share, request files, confirmations), loaded by the panel on the first click.",
  },
  {
    name: "cfx_/js/ticket-panel.js",
    displayName: "Case File Exchange: ticket panel script",
    type: "js",
    description: "The hardware ticket panel.",
    entry: "src/entries/ticketPanel.tsx",
  },
  {
    name: "cfx_/js/upload-dialog.js",
    displayName: "Case File Exchange: upload dialog script",
    type: "js",
    description: "The upload dialog.",
    entry: "src/entries/uploadDialog.tsx",
  },
  {
    name: "cfx_/js/retention-health.js",
    displayName: "Case File Exchange: retention job health script",
    type: "js",
    description: "Reads the retention job's last runs for the supervisors' dashboard.",
    entry: "src/entries/retentionHealth.tsx",
  },
  {
    name: "cfx_/js/redirect.js",
    displayName: "Case File Exchange: sign-in redirect script",
    type: "js",
    description: "Hands MSAL's sign-in response to the window that opened the popup.",
    entry: "src/entries/redirect.ts",
  },
  {
    name: "cfx_/js/forms.js",
    displayName: "Case File Exchange: form scripts",
    type: "js",
    description: "Form event handlers: cfx.CaseForm.onLoad, cfx.TicketForm.onLoad, cfx.TicketForm.notifySupport.",
    entry: "src/entries/forms.ts",
  },
  {
    name: "cfx_/icons/exchange.svg",
    displayName: "Case File Exchange: exchange icon",
    type: "svg",
    description: "Icon of the File Exchange table.",
  },
  {
    name: "cfx_/icons/notify-support.svg",
    displayName: "Case File Exchange: Notify Support icon",
    type: "svg",
    description: "Icon of the Notify Support command on the Hardware Ticket form's command bar.",
  },
];

/** The form script library and its handlers, as forms and the ribbon reference them. */
export const formScript = {
  library: "cfx_/js/forms.js",
  caseOnLoad: "cfx.CaseForm.onLoad",
  ticketOnLoad: "cfx.TicketForm.onLoad",
  notifySupport: "cfx.TicketForm.notifySupport",
} as const;

/** The panel controls on the forms: control name → web resource. */
export const panelControls = {
  case: { controlName: "WebResource_cfx_casepanel", webResource: "cfx_/panels/case.html" },
  ticket: { controlName: "WebResource_cfx_ticketpanel", webResource: "cfx_/panels/ticket.html" },
} as const;
