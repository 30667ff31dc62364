import { users } from "../seed/people";

/** Shown when the issuer is asked to sign someone in but nobody is signed in to the sandbox shell. */
export function renderSignInHint(returnTo: string): string {
  const links = users
    .map(
      (u) =>
        `<li><a href="/_sandbox/signin?user=${u.key}&amp;returnTo=${encodeURIComponent(returnTo)}">${u.fullName}</a> (${u.title})</li>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body style="font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto">
<h1>Sign in to the sandbox</h1>
<p>Nobody is signed in to the sandbox's Dynamics shell. Pick a person; the sandbox's sign-in service then signs them in, as Entra ID does for a Dynamics user.</p>
<ul>${links}</ul></body></html>`;
}
