/**
 * How every browser test and benchmark launches Debian's Chromium: no browser download here, and
 * without the background-networking flags Chromium's own connections are refused by the closed
 * network (TOOLCHAIN.md). Running as root needs --no-sandbox.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumArgs: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launch options for playwright-core's `chromium.launch` (and Playwright's `launchOptions`). */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): { executablePath: string; args: string[] } {
  return { executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] };
}
