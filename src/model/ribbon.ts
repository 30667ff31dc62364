import { formScript } from "./webresources";

/**
 * Command bar buttons the product adds, as plain data: the packer writes them as RibbonDiffXml,
 * the sandbox's app shell draws them on the form's command bar and calls the same function.
 */
export interface CommandDef {
  /** Stable key; ribbon ids are `cfx.<table>.<key>.*`. */
  readonly key: string;
  readonly table: string;
  /** Where it shows: the record form's command bar. */
  readonly location: "form";
  readonly label: string;
  readonly tooltip: string;
  /**
   * The command bar icon (`ModernImage`): `$webresource:` and an SVG web resource of ours. No list of
   * the platform's icon names is published; Microsoft's own ribbons point `ModernImage` at SVG web
   * resources (`$webresource:PowerBI.svg`, `$webresource:msdyn_/fps/Icons/CommandBar/CalendarButton.svg`
   * in a RetrieveEntityRibbon output for account), so a shipped SVG is valid wherever the button is.
   */
  readonly modernImage: string;
  readonly library: string;
  readonly functionName: string;
  /** Passed to the function: `PrimaryControl` is the form context. */
  readonly parameters: readonly "PrimaryControl"[];
  /** Shown and enabled only on a saved record, never on the create form. */
  readonly existingRecordOnly: boolean;
  readonly sequence: number;
}

export const notifySupportCommand: CommandDef = {
  key: "NotifySupport",
  table: "cfx_hardwareticket",
  location: "form",
  label: "Notify Support",
  tooltip: "Tell Level 2 support that the backup is uploaded and ready to share with the customer.",
  modernImage: "$webresource:cfx_/icons/notify-support.svg",
  library: formScript.library,
  functionName: formScript.notifySupport,
  parameters: ["PrimaryControl"],
  existingRecordOnly: true,
  sequence: 100,
};

export const commandDefs: readonly CommandDef[] = [notifySupportCommand];
