import { createTheme, type ITheme } from "@fluentui/react/lib/Styling";

/**
 * The panels' theme: Dynamics 365's Unified Interface look (blue #0f6cbd primary, Segoe UI, 14 px
 * body, compact spacing), so a panel inside a form reads as part of the form.
 */
export const panelTheme: ITheme = createTheme({
  palette: {
    themePrimary: "#0f6cbd",
    themeLighterAlt: "#f3f8fc",
    themeLighter: "#d0e4f5",
    themeLight: "#a9cdec",
    themeTertiary: "#5c9fd8",
    themeSecondary: "#1f78c6",
    themeDarkAlt: "#0e61aa",
    themeDark: "#0c5290",
    themeDarker: "#093c6a",
    neutralLighterAlt: "#faf9f8",
    neutralLighter: "#f3f2f1",
    neutralLight: "#edebe9",
    neutralQuaternaryAlt: "#e1dfdd",
    neutralQuaternary: "#d0d0d0",
    neutralTertiaryAlt: "#c8c6c4",
    neutralTertiary: "#a19f9d",
    neutralSecondary: "#605e5c",
    neutralPrimaryAlt: "#3b3a39",
    neutralPrimary: "#242424",
    neutralDark: "#201f1e",
    black: "#000000",
    white: "#ffffff",
  },
  defaultFontStyle: {
    fontFamily: '"Segoe UI", "Segoe UI Web (West European)", -apple-system, BlinkMacSystemFont, Roboto, "Helvetica Neue", sans-serif',
  },
});

/** Tones of status lines, as text colours with at least 4.5:1 contrast on white (WCAG AA). */
export const toneColors = {
  neutral: "#605e5c",
  info: "#0f6cbd",
  success: "#107c10",
  warning: "#8a5300",
  danger: "#b10e1c",
} as const;

/** Soft backgrounds for tone badges; the tone colour on them keeps 4.5:1. */
export const toneBackgrounds = {
  neutral: "#f3f2f1",
  info: "#ebf3fc",
  success: "#f1faf1",
  warning: "#fff9f5",
  danger: "#fdf3f4",
} as const;
