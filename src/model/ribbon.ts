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
  /** Fluent icon name for Unified Interface (`ModernImage`). */
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
  modernImage: "Send",
  library: formScript.library,
  functionName: formScript.notifySupport,
  parameters: ["PrimaryControl"],
  existingRecordOnly: true,
  sequence: 100,
};

export const commandDefs: readonly CommandDef[] = [notifySupportCommand];
