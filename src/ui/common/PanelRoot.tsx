import { ThemeProvider } from "@fluentui/react/lib/Theme";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { LocaleInfo } from "./format";
import { registerPanelIcons } from "./icons";
import { panelTheme } from "./theme";

const LocaleContext = createContext<LocaleInfo>({ locale: "en-US" });

/** The user's language and time zone for dates and numbers, from the nearest PanelRoot. */
export function useLocaleInfo(): LocaleInfo {
  return useContext(LocaleContext);
}

export interface PanelRootProps {
  readonly locale: string;
  readonly timeZone?: string;
  readonly children: ReactNode;
}

/** Wraps a panel: Fluent theme, bundled icons, the user's locale; fills the frame and scrolls inside it. */
export function PanelRoot({ locale, timeZone, children }: PanelRootProps) {
  registerPanelIcons();
  const info = useMemo(() => ({ locale, timeZone }), [locale, timeZone]);
  return (
    <ThemeProvider theme={panelTheme} style={{ minHeight: "100%", background: "#fff" }}>
      <LocaleContext.Provider value={info}>{children}</LocaleContext.Provider>
    </ThemeProvider>
  );
}
