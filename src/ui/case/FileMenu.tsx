import { ContextualMenu, DirectionalHint, type IContextualMenuItem } from "@fluentui/react/lib/ContextualMenu";
import type { FileAction } from "../../domain/fileActions";
import { toneColors } from "../common/theme";
import { caseStrings as s } from "./strings";

export interface FileMenuProps {
  /** The row's "…" button the menu opens from (focus returns to it when the menu closes). */
  readonly target: HTMLElement;
  readonly actions: readonly FileAction[];
  readonly onAction: (action: FileAction) => void;
  readonly onDismiss: () => void;
}

const entries: ReadonlyArray<{ readonly action: FileAction; readonly text: string; readonly icon: string; readonly danger?: boolean }> = [
  { action: "downloadFile", text: s.fileMenu.download, icon: "Download" },
  { action: "copyFileLink", text: s.fileMenu.copyLink, icon: "Link" },
  { action: "keepFile", text: s.fileMenu.keep, icon: "Lock" },
  { action: "changeFileExpiry", text: s.fileMenu.changeExpiry, icon: "Clock" },
  { action: "removeFile", text: s.fileMenu.remove, icon: "Delete", danger: true },
];

/**
 * One file's menu, as SharePoint's "…" on a file: only what the user may do to it. Loaded with
 * the dialogs on the first click, so the panel's first load does not carry Fluent's menu.
 */
export function FileMenu({ target, actions, onAction, onDismiss }: FileMenuProps) {
  const items: IContextualMenuItem[] = entries
    .filter((e) => actions.includes(e.action))
    .map((e) => ({
      key: e.action,
      text: e.text,
      iconProps: { iconName: e.icon, style: e.danger ? { color: toneColors.danger } : undefined },
      ...(e.danger ? { style: { color: toneColors.danger } } : {}),
      onClick: () => {
        onDismiss();
        onAction(e.action);
      },
    }));
  return (
    <ContextualMenu
      target={target}
      items={items}
      onDismiss={onDismiss}
      directionalHint={DirectionalHint.bottomRightEdge}
      shouldFocusOnMount
      isBeakVisible={false}
    />
  );
}
