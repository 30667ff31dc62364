/**
 * The handshake between a form script and the HTML web resource it hosts (dataverse.md §1): the
 * page defines `setClientApiContext(xrm, formContext)`, the form's OnLoad calls it through
 * `getContentWindow()`, again after a save and when a tab re-creates the frame. Commands from the
 * command bar reach the panel through `cfxPanelCommands`.
 */
export interface PanelWindow extends Window {
  setClientApiContext?: (xrm: Xrm.XrmStatic, formContext: Xrm.FormContext) => void;
  cfxPanelCommands?: PanelCommands;
}

/** What the command bar can ask of a panel. */
export interface PanelCommands {
  notifySupport?: () => Promise<void>;
}
