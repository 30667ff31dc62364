import { DefaultButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Dialog, DialogFooter, DialogType } from "@fluentui/react/lib/Dialog";
import { commonStrings } from "../common/strings";
import { toneColors } from "../common/theme";

export interface ConfirmDialogProps {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onDismiss: () => void;
}

/** Asks before an action that cannot be undone (Remove now, Revoke access). */
export function ConfirmDialog({ title, text, confirmLabel, onConfirm, onDismiss }: ConfirmDialogProps) {
  return (
    <Dialog
      hidden={false}
      onDismiss={onDismiss}
      minWidth={420}
      dialogContentProps={{ type: DialogType.normal, title, subText: text, closeButtonAriaLabel: commonStrings.close }}
      modalProps={{ isBlocking: true }}
    >
      <DialogFooter>
        <PrimaryButton
          text={confirmLabel}
          onClick={onConfirm}
          styles={{
            root: { background: toneColors.danger, borderColor: toneColors.danger },
            rootHovered: { background: "#8e0b16", borderColor: "#8e0b16" },
            rootPressed: { background: "#750912", borderColor: "#750912" },
          }}
        />
        <DefaultButton text={commonStrings.cancel} onClick={onDismiss} />
      </DialogFooter>
    </Dialog>
  );
}
