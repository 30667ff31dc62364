// The redirect bridge (webresources/auth/redirect.html): hands MSAL's response in the URL back to
// the panel that opened the popup or the silent iframe. Nothing else runs here.
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

void broadcastResponseToMainFrame().catch(() => {
  // Opened directly, with no sign-in response: nothing to hand back.
  document.body.textContent = "This page is used by Case File Exchange during sign-in. You can close it.";
});
