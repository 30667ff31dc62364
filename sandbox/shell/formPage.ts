import type { ColumnDef } from "../../src/model";
import type { FormDef, FormItemDef } from "../../src/model/forms";
import { catalog } from "../install/catalog";
import type { Origins } from "../context";
import { allEntities, propertyNameOf } from "../dataverse/metadata";
import { organizationId, organizationName, type SandboxUser } from "../seed/people";
import { heldRoles } from "../seed/roles";
import { isReference } from "../store/columns";
import { esc, icons, initials, jsonScript, listUrl, recordUrl } from "./html";
import { commandButton, page } from "./layout";
import type { ApiRecord, ShellData } from "./records";
import { renderTimeline } from "./timeline";
import { webResourceCacheSegment } from "./webResources";

const F = "@OData.Community.Display.V1.FormattedValue";
const L = "@Microsoft.Dynamics.CRM.lookuplogicalname";

/** The form a table opens with: the solution's, else one generated from the table's columns. */
export function formOf(data: ShellData, table: string): FormDef {
  const shipped = catalog().forms.find((f) => f.table === table && f.type === "main");
  if (shipped) return shipped;
  const meta = data.meta(table);
  const columns = meta.table.columns.filter((c) => c.type !== "primarykey" && !c.system).map((c) => c.logicalName);
  return {
    key: `${table}/generated`,
    table,
    type: "main",
    name: meta.table.displayName,
    description: "",
    tabs: [
      {
        name: "summary",
        label: "Summary",
        sections: [
          {
            name: "general",
            label: "General",
            showLabel: false,
            items: [...columns, "ownerid"].filter((c) => meta.columns.has(c)).map((column) => ({ kind: "field" as const, column })),
          },
        ],
      },
    ],
    libraries: [],
    handlers: [],
  };
}

function fieldControl(column: ColumnDef, record: ApiRecord, readOnly: boolean): string {
  const name = propertyNameOf(column);
  const raw = record[name];
  const shown = String(record[`${name}${F}`] ?? raw ?? "");
  const empty = raw === null || raw === undefined || raw === "";
  let value: string;
  if (isReference(column) && !empty) {
    const target = String(record[`${name}${L}`] ?? "");
    value = `<a class="lookup-pill" href="${recordUrl(target, String(raw))}"><span class="avatar tiny">${esc(initials(shown))}</span>${esc(shown)}</a>`;
  } else if (!readOnly && (column.type === "string" || column.type === "memo")) {
    const tag = column.type === "memo" ? "textarea" : "input";
    const body = column.type === "memo" ? `${esc(raw ?? "")}</textarea>` : "";
    value = `<${tag} class="field-input" data-attribute="${esc(column.logicalName)}" aria-label="${esc(column.displayName)}"${column.type === "memo" ? ` rows="3">${body}` : ` value="${esc(raw ?? "")}" />`}`;
  } else if (column.type === "string" && /^https:\/\//.test(shown)) {
    value = `<a class="field-value" href="${esc(shown)}" target="_blank" rel="noopener">${esc(shown)}</a>`;
  } else {
    value = `<span class="field-value${empty ? " empty" : ""}">${empty ? "---" : esc(shown)}</span>`;
  }
  const lock = readOnly || column.system ? `<span class="lock" title="Read-only">${icons.lock}</span>` : "";
  return `<div class="field" data-control="${esc(column.logicalName)}"><label>${esc(column.displayName)}${column.required ? '<span class="req">*</span>' : ""}</label><div class="field-box">${lock}${value}</div></div>`;
}

function subgrid(data: ShellData, user: SandboxUser, item: Extract<FormItemDef, { kind: "subgrid" }>, id: string): string {
  const child = data.meta(item.table);
  const rel = catalog().relationships.find((r) => r.schemaName === item.relationship);
  const view = catalog().views.find((v) => v.key === item.view);
  const columns = view?.columns ?? [{ column: child.primaryName, width: 200 }];
  const head = columns.map((c) => `<th>${esc(child.columns.get(c.column)?.displayName ?? c.column)}</th>`).join("");
  if (!data.canRead(user, item.table)) {
    // What a subgrid of a table the user may not read shows instead of its rows: "You do not have permission to access
    // these records. Contact your Microsoft Dynamics 365 administrator for help." (KB 4563997,
    // https://learn.microsoft.com/troubleshoot/power-platform/dataverse/d365-app-outlook/privilege-error-occurs-when-using-dynamics-365-app-for-outlook).
    return `<div class="subgrid" data-control="${esc(item.name)}"><div class="subgrid-head"><h4>${esc(item.label)}</h4></div><table class="grid small"><thead><tr>${head}</tr></thead><tbody><tr><td colspan="${columns.length}" class="empty">You do not have permission to access these records. Contact your Microsoft Dynamics 365 administrator for help.</td></tr></tbody></table></div>`;
  }
  const rows = rel ? data.related(user, item.table, rel.referencingColumn, id) : [];
  const body = rows
    .map((r) => {
      const cells = columns
        .map((c, i) => {
          const def = child.columns.get(c.column);
          if (!def) return "<td></td>";
          const n = propertyNameOf(def);
          const text = esc(String(r[`${n}${F}`] ?? r[n] ?? ""));
          return `<td>${i === 0 ? `<a class="primary-link" href="${recordUrl(item.table, String(r[child.primaryId]))}">${text}</a>` : text}</td>`;
        })
        .join("");
      return `<tr>${cells}</tr>`;
    })
    .join("");
  return `<div class="subgrid" data-control="${esc(item.name)}"><div class="subgrid-head"><h4>${esc(item.label)}</h4><span>${icons.add}</span></div><table class="grid small"><thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${columns.length}" class="empty">No data available.</td></tr>`}</tbody></table></div>`;
}

/** `main.aspx?pagetype=entityrecord&etn=…&id=…`: the record's form, hosting the panels and running the form scripts. */
export function renderForm(
  data: ShellData,
  user: SandboxUser,
  table: string,
  id: string,
  record: ApiRecord,
  origins: Origins,
  currentUrl: string,
): string {
  const meta = data.meta(table);
  const form = formOf(data, table);
  const title = String(record[meta.primaryName] ?? "") || "(No name)";
  const statusName = meta.columns.has("statuscode") ? "statuscode" : undefined;
  const headerFields = [
    ...(table === "incident" ? [["Case Number", String(record.ticketnumber ?? "")]] : []),
    ...(statusName ? [["Status Reason", String(record[`statuscode${F}`] ?? "")]] : []),
    ...(meta.columns.has("ownerid") ? [["Owner", String(record[`_ownerid_value${F}`] ?? "")]] : []),
  ]
    .map(
      ([label, value]) =>
        `<div class="hdr-field"><div class="hdr-value">${esc(value || "---")}</div><div class="hdr-label">${esc(label)}</div></div>`,
    )
    .join("");
  const inactive = typeof record.statecode === "number" && record.statecode !== 0;
  const tabs = form.tabs
    .map((t, i) => `<button class="tab${i === 0 ? " active" : ""}" role="tab" data-tab="${esc(t.name)}">${esc(t.label)}</button>`)
    .join("");
  const tabPanels = form.tabs
    .map((t, i) => {
      const sections = t.sections
        .map((s) => {
          const items = s.items
            .map((item) => {
              if (item.kind === "field") {
                const column = meta.columns.get(item.column);
                return column ? fieldControl(column, record, item.readOnly === true || inactive) : "";
              }
              if (item.kind === "webresource") {
                return `<div class="wr-host" data-control="${esc(item.controlName)}" data-webresource="${esc(item.webResource)}" style="height:${Math.max(item.rows, 4) * 36}px" aria-label="${esc(item.label)}"></div>`;
              }
              return subgrid(data, user, item, id);
            })
            .join("");
          return `<section class="form-section" data-section="${esc(s.name)}">${s.showLabel ? `<h3>${esc(s.label)}</h3>` : ""}${items}</section>`;
        })
        .join("");
      return `<div class="tab-panel" data-tab="${esc(t.name)}"${i === 0 ? "" : " hidden"}>${sections}</div>`;
    })
    .join("");
  const timeline = meta.table.hasNotes
    ? `<aside class="timeline" id="timeline" data-table="${esc(table)}" data-id="${esc(id)}">${renderTimeline(data, user, table, id)}</aside>`
    : "";
  const commands = catalog()
    .commands.filter((c) => c.table === table)
    .sort((a, b) => a.sequence - b.sequence);
  const commandBar = [
    commandButton("", "back", 'data-command="back" aria-label="Back"'),
    commandButton("Save", "save", 'data-command="save"'),
    commandButton("Save & Close", "saveClose", 'data-command="saveClose"'),
    commandButton("New", "add", 'data-command="noop"'),
    ...commands.map((c) =>
      commandButton(
        c.label,
        // A ModernImage naming a web resource draws that image, as Unified Interface does.
        c.modernImage.startsWith("$webresource:")
          ? { src: `/${webResourceCacheSegment}/WebResources/${c.modernImage.slice("$webresource:".length)}` }
          : "add",
        `data-command="custom" data-function="${esc(c.functionName)}" data-library="${esc(c.library)}" title="${esc(c.tooltip)}"`,
      ),
    ),
    ...(table === "incident" && !inactive ? [commandButton("Resolve Case", "resolve", 'data-command="resolveCase"')] : []),
    commandButton("Delete", "delete", 'data-command="noop"'),
    commandButton("Refresh", "refresh", 'data-command="refresh"'),
    commandButton("Share", "share", 'data-command="noop"'),
    `<span class="cmd-fill"></span>`,
    commandButton("", "more", 'data-command="noop" aria-label="More commands"'),
  ].join("");
  const boot = {
    table,
    id,
    setName: meta.setName,
    primaryName: meta.primaryName,
    displayName: meta.table.displayName,
    record,
    inactive,
    form: {
      name: form.name,
      tabs: form.tabs.map((t) => ({ name: t.name, label: t.label, sections: t.sections.map((s) => ({ name: s.name, label: s.label })) })),
      libraries: form.libraries,
      handlers: form.handlers,
    },
    columns: Object.fromEntries(
      meta.table.columns.map((c) => [
        c.logicalName,
        { type: c.type, displayName: c.displayName, property: propertyNameOf(c), required: c.required === true },
      ]),
    ),
    controls: form.tabs.flatMap((t) => t.sections.flatMap((s) => s.items.map((item) => ({ tab: t.name, section: s.name, ...item })))),
    commands: commands.map((c) => ({ functionName: c.functionName, library: c.library, parameters: c.parameters })),
  };
  const body = `<div class="form-header"><span class="record-icon">${esc(initials(meta.table.displayName))}</span><div class="record-title"><h1>${esc(title)}<span class="saved"> - Saved</span></h1>
<div class="record-sub">${esc(meta.table.displayName)} · <button class="form-selector">${esc(form.name)} ${icons.chevron}</button></div></div><div class="hdr-fields">${headerFields}</div></div>
${inactive ? `<div class="form-notice info">Read-only: this record's status is ${esc(String(record[`statecode${F}`] ?? "inactive"))}.</div>` : ""}
<div id="formNotifications"></div>
<div class="tabs" role="tablist">${tabs}<button class="tab" disabled>Related ${icons.chevron}</button></div>
<div class="form-body${timeline ? " with-timeline" : ""}"><div class="tab-panels">${tabPanels}</div>${timeline}</div>`;
  const tail = [jsonScript("cfx-shell-context", shellContext(user, origins)), jsonScript("cfx-form", boot)].join("\n");
  return page({ title, user, activeTable: table, commandBar, body, tail, currentUrl });
}

/** What `Xrm.Utility.getGlobalContext()` and `Xrm.WebApi` need in the page. */
export function shellContext(user: SandboxUser, origins: Origins): Record<string, unknown> {
  return {
    clientUrl: origins.app,
    orgName: organizationName,
    orgId: organizationId,
    version: "9.2.24121.00000",
    webResourcePrefix: `/${webResourceCacheSegment}/WebResources/`,
    user: {
      id: user.id,
      name: user.fullName,
      upn: user.upn,
      // Every role the person holds and their teams' roles, each the copy of its business unit, as in Dataverse.
      roles: heldRoles(user),
      languageId: 1033,
      businessUnitId: user.businessUnitId,
    },
    entitySets: Object.fromEntries(allEntities().map((e) => [e.name, e.setName])),
    listUrls: Object.fromEntries(allEntities().map((e) => [e.name, listUrl(e.name)])),
  };
}
