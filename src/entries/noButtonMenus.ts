/**
 * Stands in for Fluent's ContextualMenu where Fluent's BaseButton imports it (webpack.config.js
 * replaces that one import): BaseButton renders it only for a button with `menuProps`, which no
 * panel uses, and the menu with its Callout is ~20 KB gzipped of every panel's first paint.
 * A button given `menuProps` fails loudly here instead of silently showing no menu.
 */
export function ContextualMenu(): never {
  throw new Error("Buttons with menus (menuProps) are not built into the panels: see src/entries/noButtonMenus.ts.");
}
