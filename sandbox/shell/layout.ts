import type { SandboxUser } from "../seed/people";
import { users } from "../seed/people";
import { esc, icons, initials, listUrl, type IconName } from "./html";

export interface NavItem {
  readonly table: string;
  readonly label: string;
  readonly icon: IconName;
}

/** The app's site map: what the left navigation lists. */
export const siteMap: readonly { readonly group: string; readonly items: readonly NavItem[] }[] = [
  {
    group: "Service",
    items: [
      { table: "incident", label: "Cases", icon: "case" },
      { table: "cfx_hardwareticket", label: "Hardware Tickets", icon: "ticket" },
      { table: "cfx_fileexchange", label: "File Exchanges", icon: "exchange" },
    ],
  },
  {
    group: "Customers",
    items: [
      { table: "account", label: "Accounts", icon: "account" },
      { table: "contact", label: "Contacts", icon: "contact" },
    ],
  },
];

export interface PageOptions {
  readonly title: string;
  readonly user: SandboxUser;
  readonly activeTable?: string;
  readonly commandBar: string;
  readonly body: string;
  /** Extra markup at the end of <body> (boot data, scripts). */
  readonly tail?: string;
  readonly currentUrl: string;
}

/** The Unified Interface frame around every page: header, site map, command bar, content. */
export function page(o: PageOptions): string {
  const nav = siteMap
    .map(
      (g) =>
        `<div class="nav-group">${esc(g.group)}</div>` +
        g.items
          .map(
            (i) =>
              `<a class="nav-item${i.table === o.activeTable ? " active" : ""}" href="${listUrl(i.table)}">${icons[i.icon]}<span>${esc(i.label)}</span></a>`,
          )
          .join(""),
    )
    .join("");
  const switcher = users
    .map(
      (u) =>
        `<a class="switch-user${u.key === o.user.key ? " current" : ""}" href="/_sandbox/signin?user=${u.key}&amp;returnTo=${encodeURIComponent(o.currentUrl)}">` +
        `<span class="avatar small">${esc(initials(u.fullName))}</span><span><b>${esc(u.fullName)}</b><br/><small>${esc(u.title)} · ${esc(u.upn)}</small></span></a>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${esc(o.title)} - Dynamics 365</title>
<link rel="stylesheet" href="/_shell/shell.css"/>
</head>
<body>
<header class="app-header" role="banner">
  <button class="hdr-btn" aria-label="App launcher">${icons.waffle}</button>
  <span class="brand">Dynamics 365</span>
  <span class="hdr-sep"></span>
  <span class="app-name">Customer Service Hub</span>
  <span class="sandbox-pill" title="A local stand-in for Dynamics 365, SharePoint and Entra ID">SANDBOX</span>
  <span class="hdr-fill"></span>
  <button class="hdr-btn" aria-label="Search">${icons.search}</button>
  <button class="hdr-btn" aria-label="Assistant">${icons.lightbulb}</button>
  <button class="hdr-btn" aria-label="New">${icons.add}</button>
  <button class="hdr-btn" aria-label="Advanced find">${icons.filter}</button>
  <a class="hdr-btn" id="teamsChatLink" href="/chat" aria-label="Teams chat" title="Teams chat (the sandbox's stand-in for Microsoft Teams)">${icons.chat}</a>
  <button class="hdr-btn bell" id="notificationBell" aria-label="Notifications">${icons.bell}<span class="badge" id="notificationCount" hidden></span></button>
  <button class="hdr-btn" aria-label="Settings">${icons.gear}</button>
  <button class="hdr-btn" aria-label="Help">${icons.help}</button>
  <button class="hdr-btn avatar-btn" id="userButton" aria-label="Signed in as ${esc(o.user.fullName)}: switch user" title="${esc(o.user.fullName)} (${esc(o.user.title)})"><span class="avatar">${esc(initials(o.user.fullName))}</span></button>
</header>
<div class="flyout" id="userFlyout" hidden><div class="flyout-title">Switch user</div>${switcher}<a class="flyout-link" href="/mail" target="_blank">Open the sandbox mailbox</a></div>
<div class="flyout notifications" id="notificationFlyout" hidden><div class="flyout-title">Notifications</div><div id="notificationList" class="notification-list">Loading…</div></div>
<div id="globalNotifications" class="global-notifications"></div>
<div class="app-body">
  <nav class="sitemap" aria-label="Site map">
    <button class="nav-item collapse" aria-label="Collapse">${icons.menu}</button>
    <a class="nav-item" href="/main.aspx">${icons.home}<span>Home</span></a>
    <span class="nav-item muted">${icons.clock}<span>Recent</span>${icons.chevron}</span>
    <span class="nav-item muted">${icons.pin}<span>Pinned</span>${icons.chevron}</span>
    <div class="nav-group">My Work</div>
    <a class="nav-item${o.activeTable === "dashboard" ? " active" : ""}" href="/main.aspx?pagetype=dashboard">${icons.dashboard}<span>Dashboards</span></a>
    ${nav}
    <div class="nav-group">Settings</div>
    <a class="nav-item${o.activeTable === "solutions" ? " active" : ""}" href="/main.aspx?pagetype=solutions">${icons.gear}<span>Solutions</span></a>
  </nav>
  <main class="content">
    <div class="command-bar" role="menubar">${o.commandBar}</div>
    <div class="page">${o.body}</div>
  </main>
</div>
<div id="dialogHost"></div>
${o.tail ?? ""}
<script src="/_shell/chrome.js"></script>
</body>
</html>`;
}

/** A command bar button (`data-command` is handled by the page's script). */
export function commandButton(label: string, icon: IconName | { readonly src: string }, attrs: string): string {
  const image = typeof icon === "string" ? icons[icon] : `<img class="cmd-icon" src="${esc(icon.src)}" alt="" width="16" height="16" />`;
  return `<button class="cmd" role="menuitem" ${attrs}>${image}<span>${esc(label)}</span></button>`;
}

/** The sign-in page: who to be, as Entra's account picker. */
export function accountPicker(returnTo: string): string {
  const items = users
    .map(
      (u) =>
        `<a class="account" href="/_sandbox/signin?user=${u.key}&amp;returnTo=${encodeURIComponent(returnTo)}"><span class="avatar">${esc(initials(u.fullName))}</span><span><b>${esc(u.fullName)}</b><br/><small>${esc(u.upn)} · ${esc(u.title)}</small></span></a>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>Sign in to your account</title><link rel="stylesheet" href="/_shell/shell.css"/></head>
<body class="signin"><div class="signin-card"><div class="ms-logo"><i></i><i></i><i></i><i></i><span>Microsoft</span></div><h1>Pick an account</h1>
<p>This is the Case File Exchange sandbox: each account is a seeded Dynamics 365 user of the support organization.</p>${items}</div></body></html>`;
}
