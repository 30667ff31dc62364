/**
 * The browser side of the sandbox's app shell: a global `Xrm` that implements the parts of the
 * Client API the product uses (typed against @types/xrm, the rest throws "not implemented"), the
 * form runtime (form context, tabs, web resource frames, OnLoad handlers, command bar) and the
 * page chrome (user switcher, notifications). Compiled to one classic script at server start.
 */

interface ShellContext {
  readonly clientUrl: string;
  readonly orgName: string;
  readonly orgId: string;
  readonly version: string;
  readonly webResourcePrefix: string;
  readonly user: {
    id: string;
    name: string;
    upn: string;
    roles: { id: string; name: string }[];
    languageId: number;
    businessUnitId: string;
  };
  readonly entitySets: Record<string, string>;
  readonly listUrls: Record<string, string>;
}

interface ColumnInfo {
  readonly type: string;
  readonly displayName: string;
  readonly property: string;
  readonly required: boolean;
}

interface ControlInfo {
  readonly tab: string;
  readonly section: string;
  readonly kind: "field" | "webresource" | "subgrid";
  readonly column?: string;
  readonly controlName?: string;
  readonly webResource?: string;
  readonly name?: string;
  readonly label?: string;
  readonly readOnly?: boolean;
}

interface FormBoot {
  readonly table: string;
  readonly id: string;
  readonly setName: string;
  readonly primaryName: string;
  readonly displayName: string;
  record: Record<string, unknown>;
  readonly inactive: boolean;
  readonly form: {
    name: string;
    tabs: { name: string; label: string; sections: { name: string; label: string }[] }[];
    libraries: string[];
    handlers: { event: string; functionName: string }[];
  };
  readonly columns: Record<string, ColumnInfo>;
  readonly controls: ControlInfo[];
  readonly commands: { functionName: string; library: string; parameters: string[] }[];
}

type Handler = (context: Xrm.Events.EventContext) => unknown;

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";

function readJson<T>(id: string): T | undefined {
  const el = document.getElementById(id);
  return el?.textContent ? (JSON.parse(el.textContent) as T) : undefined;
}

/** An object whose missing members throw, as the xrm-mock habit: fail loudly, never return nothing. */
function partial<T extends object>(name: string, impl: Partial<T>): T {
  return new Proxy(impl as object, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (typeof prop === "symbol" || prop === "then" || prop === "toJSON" || prop === "constructor") return undefined;
      throw new Error(`${name}.${String(prop)} is not implemented by the Case File Exchange sandbox.`);
    },
  }) as T;
}

function collection<T>(items: () => T[], nameOf: (item: T) => string): Xrm.Collection.ItemCollection<T> {
  const get = ((arg?: unknown) => {
    const all = items();
    if (arg === undefined) return all;
    if (typeof arg === "number") return all[arg] ?? null;
    if (typeof arg === "string") return all.find((i) => nameOf(i) === arg) ?? null;
    if (typeof arg === "function") return all.filter((item, index) => (arg as (i: T, n: number) => boolean)(item, index));
    return null;
  }) as Xrm.Collection.ItemCollection<T>["get"];
  return {
    get,
    getAll: () => items(),
    getLength: () => items().length,
    forEach: (cb: (item: T, index: number) => unknown) => items().forEach((item, index) => cb(item, index)),
  } as Xrm.Collection.ItemCollection<T>;
}

const braced = (id: string) => `{${id.replace(/[{}]/g, "").toUpperCase()}}`;
const bare = (id: string) => id.replace(/[{}]/g, "").toLowerCase();

// ---------------------------------------------------------------- Web API over the cookie session

interface WebApiFailure extends Error {
  errorCode: number;
  code: string;
  status: number;
}

async function failure(response: Response): Promise<WebApiFailure> {
  let code = "";
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? "";
    message = body.error?.message ?? message;
  } catch {
    // An empty body (401) keeps the status line as the message.
  }
  const error = new Error(message) as WebApiFailure;
  error.code = code;
  error.errorCode = code.startsWith("0x") ? parseInt(code, 16) : response.status;
  error.status = response.status;
  return error;
}

function createWebApi(shell: ShellContext): Xrm.WebApiOnline {
  const base = "/api/data/v9.2/";
  const setOf = (entity: string) => {
    const set = shell.entitySets[entity];
    if (!set) throw new Error(`The entity "${entity}" is not known to this environment.`);
    return set;
  };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + path, {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        "OData-MaxVersion": "4.0",
        "OData-Version": "4.0",
        Prefer: 'odata.include-annotations="*"',
        ...(body !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await failure(response);
    return response;
  };
  const idFrom = (response: Response) => /\(([0-9a-fA-F-]{36})\)$/.exec(response.headers.get("OData-EntityId") ?? "")?.[1] ?? "";
  const options = (o?: string) => (o ? (o.startsWith("?") ? o : `?${o}`) : "");
  return partial<Xrm.WebApiOnline>("Xrm.WebApi", {
    retrieveRecord: async function (entity: string, id: string, o?: string) {
      return (await (await call("GET", `${setOf(entity)}(${bare(id)})${options(o)}`)).json()) as never;
    } as never,
    retrieveMultipleRecords: async function (entity: string, o?: string, maxPageSize?: number) {
      if (o && /fetchXml=/i.test(o)) throw new Error("FetchXML queries are not implemented by the Case File Exchange sandbox.");
      const headers: Record<string, string> = maxPageSize
        ? { Prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` }
        : {};
      const body = (await (await call("GET", `${setOf(entity)}${options(o)}`, undefined, headers)).json()) as {
        value: never[];
        "@odata.nextLink"?: string;
      };
      return { entities: body.value, nextLink: body["@odata.nextLink"] } as never;
    } as never,
    createRecord: async function (entity: string, data: object) {
      const response = await call("POST", setOf(entity), data);
      return { entityType: entity, id: idFrom(response) } as never;
    } as never,
    updateRecord: async function (entity: string, id: string, data: object) {
      await call("PATCH", `${setOf(entity)}(${bare(id)})`, data, { "If-Match": "*" });
      return { entityType: entity, id: bare(id) } as never;
    } as never,
    deleteRecord: async function (entity: string, id: string) {
      await call("DELETE", `${setOf(entity)}(${bare(id)})`);
      return { entityType: entity, id: bare(id) } as never;
    } as never,
    isAvailableOffline: () => false,
    execute: async function (
      request: { getMetadata(): { boundParameter?: string | null; operationName: string; operationType: number } } & Record<
        string,
        unknown
      >,
    ) {
      const meta = request.getMetadata();
      const params = Object.fromEntries(
        Object.entries(request).filter(([k]) => k !== "getMetadata" && k !== "entity" && k !== meta.boundParameter),
      );
      const entity = (meta.boundParameter ? (request[meta.boundParameter] ?? request.entity) : undefined) as
        { entityType: string; id: string } | undefined;
      const prefix = entity ? `${setOf(entity.entityType)}(${bare(entity.id)})/Microsoft.Dynamics.CRM.` : "";
      if (meta.operationType === 1) {
        // A record parameter goes as a parameter alias holding its `@odata.id` (Target=@p1?@p1={'@odata.id':'incidents(…)'}).
        const aliases: string[] = [];
        const args = Object.entries(params)
          .map(([k, v]) => {
            if (v && typeof v === "object" && "entityType" in v && "id" in v) {
              const ref = v as { entityType: string; id: string };
              aliases.push(`@p${aliases.length + 1}=${encodeURIComponent(`{'@odata.id':'${setOf(ref.entityType)}(${bare(ref.id)})'}`)}`);
              return `${k}=@p${aliases.length}`;
            }
            return `${k}=${typeof v === "string" ? `'${v.replace(/'/g, "''")}'` : String(v)}`;
          })
          .join(",");
        const query = aliases.length ? `?${aliases.join("&")}` : "";
        return (await call("GET", `${prefix}${meta.operationName}(${args})${query}`)) as never;
      }
      return (await call("POST", `${prefix}${meta.operationName}`, params)) as never;
    } as never,
  });
}

// ---------------------------------------------------------------- dialogs, notifications

function dialog(title: string, text: string, buttons: { label: string; primary?: boolean; value: boolean }[]): Promise<boolean> {
  return new Promise((resolve) => {
    const host = document.getElementById("dialogHost") ?? document.body;
    const overlay = document.createElement("div");
    overlay.className = "overlay";
    overlay.innerHTML = `<div class="dialog" role="dialog" aria-modal="true"><div class="dialog-title"></div><div class="dialog-text"></div><div class="dialog-buttons"></div></div>`;
    (overlay.querySelector(".dialog-title") as HTMLElement).textContent = title;
    (overlay.querySelector(".dialog-text") as HTMLElement).textContent = text;
    const row = overlay.querySelector(".dialog-buttons") as HTMLElement;
    for (const b of buttons) {
      const button = document.createElement("button");
      button.className = b.primary ? "btn primary" : "btn";
      button.textContent = b.label;
      button.onclick = () => {
        overlay.remove();
        resolve(b.value);
      };
      row.appendChild(button);
    }
    host.appendChild(overlay);
    (row.querySelector("button") as HTMLButtonElement | null)?.focus();
  });
}

function sideDialog(title: string, src: string, width?: number | { value: number; unit: string }, position = 2): Promise<void> {
  return new Promise((resolve) => {
    const host = document.getElementById("dialogHost") ?? document.body;
    const overlay = document.createElement("div");
    overlay.className = position === 2 ? "overlay side" : "overlay";
    const w = typeof width === "number" ? `${width}px` : width ? `${width.value}${width.unit}` : "480px";
    overlay.innerHTML = `<div class="${position === 2 ? "side-dialog" : "dialog framed"}" role="dialog" aria-modal="true" style="width:${w}"><div class="side-head"><span class="side-title"></span><button class="icon-btn close" data-id="dialogCloseIconButton" aria-label="Close">✕</button></div><iframe class="side-frame" title="dialog"></iframe></div>`;
    (overlay.querySelector(".side-title") as HTMLElement).textContent = title;
    (overlay.querySelector("iframe") as HTMLIFrameElement).src = src;
    (overlay.querySelector(".close") as HTMLElement).onclick = () => {
      overlay.remove();
      resolve();
    };
    host.appendChild(overlay);
  });
}

let notificationSeq = 0;
function addGlobalNotification(n: Xrm.App.Notification): Promise<string> {
  const id = `gn-${++notificationSeq}`;
  const bar = document.createElement("div");
  const level = ({ 1: "success", 2: "error", 3: "warning", 4: "info" } as Record<number, string>)[n.level] ?? "info";
  bar.className = `global-notification ${level}`;
  bar.dataset.id = id;
  const text = document.createElement("span");
  text.textContent = n.message;
  bar.appendChild(text);
  if (n.action) {
    const a = document.createElement("button");
    a.className = "link";
    a.textContent = n.action.actionLabel ?? "";
    a.onclick = () => n.action?.eventHandler?.();
    bar.appendChild(a);
  }
  if (n.showCloseButton) {
    const close = document.createElement("button");
    close.className = "icon-btn close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "✕";
    close.onclick = () => bar.remove();
    bar.appendChild(close);
  }
  document.getElementById("globalNotifications")?.appendChild(bar);
  return Promise.resolve(id);
}

// ---------------------------------------------------------------- Xrm

function createXrm(shell: ShellContext, formContext?: () => Xrm.FormContext): Xrm.XrmStatic {
  const roles = shell.user.roles.map((r) => ({ id: r.id, name: r.name, entityType: "role" }));
  const userSettings = partial<Xrm.UserSettings>("Xrm.Utility.getGlobalContext().userSettings", {
    userId: braced(shell.user.id),
    userName: shell.user.name,
    languageId: shell.user.languageId,
    roles: collection(
      () => roles,
      (r) => r.name,
    ) as never,
    securityRoles: roles.map((r) => r.id),
    securityRolePrivileges: [],
    isRTL: false,
    isHighContrastEnabled: false,
    isGuidedHelpEnabled: false,
    getTimeZoneOffsetMinutes: () => 0,
    getSecurityRolePrivilegesInfo: async () => ({}) as never,
  });
  const globalContext = partial<Xrm.GlobalContext>("Xrm.Utility.getGlobalContext()", {
    userSettings,
    organizationSettings: partial<Xrm.OrganizationSettings>("organizationSettings", {
      uniqueName: shell.orgName,
      organizationId: shell.orgId,
      languageId: 1033,
      isAutoSaveEnabled: false,
    }),
    client: partial<Xrm.ClientContext>("client", {
      getClient: () => "Web",
      getClientState: () => "Online",
      getFormFactor: () => 1,
      isOffline: () => false,
      isNetworkAvailable: () => true,
    }),
    getClientUrl: () => shell.clientUrl,
    getOrgUniqueName: () => shell.orgName,
    getOrgLcid: () => 1033,
    getUserId: () => braced(shell.user.id),
    getUserName: () => shell.user.name,
    getUserLcid: () => shell.user.languageId,
    getUserRoles: () => roles.map((r) => r.id),
    getVersion: () => shell.version,
    isOnPremise: () => false,
    prependOrgName: (path: string) => path,
    getCurrentAppUrl: () => `${shell.clientUrl}/main.aspx`,
  });
  const webApi = createWebApi(shell);
  const navigation = partial<Xrm.Navigation>("Xrm.Navigation", {
    openAlertDialog: (async (strings: Xrm.Navigation.AlertStrings) => {
      await dialog(strings.title ?? "", strings.text, [{ label: strings.confirmButtonLabel ?? "OK", primary: true, value: true }]);
    }) as never,
    openConfirmDialog: (async (strings: Xrm.Navigation.ConfirmStrings) => {
      const confirmed = await dialog(strings.title ?? "", strings.text, [
        { label: strings.confirmButtonLabel ?? "OK", primary: true, value: true },
        { label: strings.cancelButtonLabel ?? "Cancel", value: false },
      ]);
      return { confirmed };
    }) as never,
    openErrorDialog: (async (options: Xrm.Navigation.ErrorDialogOptions) => {
      await dialog("Error", `${options.message ?? ""}${options.details ? `\n\n${options.details}` : ""}`, [
        { label: "OK", primary: true, value: true },
      ]);
    }) as never,
    navigateTo: (async (
      page: { pageType: string; webresourceName?: string; data?: string; entityName?: string; entityId?: string },
      options?: Xrm.Navigation.NavigationOptions,
    ) => {
      if (page.pageType === "webresource" && page.webresourceName) {
        const src = `${shell.webResourcePrefix}${page.webresourceName}${page.data !== undefined ? `?data=${encodeURIComponent(page.data)}` : ""}`;
        if (options?.target === 2) return sideDialog(options.title ?? "", src, options.width as never, options.position ?? 1);
        location.href = `/main.aspx?pagetype=webresource&webresourceName=${encodeURIComponent(page.webresourceName)}${page.data !== undefined ? `&data=${encodeURIComponent(page.data)}` : ""}`;
        return;
      }
      if (page.pageType === "entityrecord" && page.entityName) {
        location.href = `/main.aspx?pagetype=entityrecord&etn=${page.entityName}&id=${bare(page.entityId ?? "")}`;
        return;
      }
      if (page.pageType === "entitylist" && page.entityName) {
        location.href = shell.listUrls[page.entityName] ?? "/main.aspx";
        return;
      }
      throw new Error(`navigateTo with pageType "${page.pageType}" is not implemented by the Case File Exchange sandbox.`);
    }) as never,
    openForm: (async (options: Xrm.Navigation.EntityFormOptions) => {
      location.href = `/main.aspx?pagetype=entityrecord&etn=${options.entityName}&id=${bare(options.entityId ?? "")}`;
      return { savedEntityReference: [] };
    }) as never,
    openUrl: (url: string) => void window.open(url, "_blank", "noopener"),
  });
  const utility = partial<Xrm.Utility>("Xrm.Utility", {
    getGlobalContext: () => globalContext,
    showProgressIndicator: (message: string) => {
      let el = document.getElementById("progressIndicator");
      if (!el) {
        el = document.createElement("div");
        el.id = "progressIndicator";
        el.className = "overlay progress";
        document.body.appendChild(el);
      }
      el.textContent = message;
    },
    closeProgressIndicator: () => document.getElementById("progressIndicator")?.remove(),
  });
  const app = partial<Xrm.App>("Xrm.App", {
    addGlobalNotification: addGlobalNotification as never,
    clearGlobalNotification: (async (id: string) => {
      document.querySelector(`.global-notification[data-id="${id}"]`)?.remove();
      return id;
    }) as never,
  });
  const xrm = {
    WebApi: webApi,
    Navigation: navigation,
    Utility: utility,
    App: app,
    get Page() {
      if (!formContext) throw new Error("Xrm.Page exists on forms only.");
      return formContext();
    },
  };
  return partial<Xrm.XrmStatic>("Xrm", xrm as never);
}

// ---------------------------------------------------------------- the form runtime

interface FrameState {
  element?: HTMLIFrameElement;
  loaded?: Promise<Window>;
  waiters: ((w: Window) => void)[];
}

function createForm(
  shell: ShellContext,
  boot: FormBoot,
  xrm: () => Xrm.XrmStatic,
): { formContext: Xrm.FormContext; start(): Promise<void> } {
  const values = new Map<string, unknown>();
  const dirty = new Set<string>();
  const changeHandlers = new Map<string, Handler[]>();
  const postSave: Handler[] = [];
  const onSave: Handler[] = [];
  const dataOnLoad: Handler[] = [];
  const tabHandlers = new Map<string, Handler[]>();
  const frames = new Map<string, FrameState>();
  let selectedTab = boot.form.tabs[0]?.name ?? "";
  // Assigned once below; the attribute, control and event closures above read it later.
  // eslint-disable-next-line prefer-const
  let formContext: Xrm.FormContext;

  const loadValues = (record: Record<string, unknown>) => {
    for (const [name, info] of Object.entries(boot.columns)) {
      const raw = record[info.property];
      if (raw === null || raw === undefined) values.set(name, null);
      else if (info.property.startsWith("_"))
        values.set(name, [
          {
            id: braced(String(raw)),
            name: String(record[`${info.property}${FORMATTED}`] ?? ""),
            entityType: String(record[`${info.property}${LOOKUP_TABLE}`] ?? ""),
          },
        ]);
      else if (info.type === "datetime") values.set(name, new Date(String(raw)));
      else values.set(name, raw);
    }
  };
  loadValues(boot.record);

  const eventContext = (source: unknown, args: unknown = {}): Xrm.Events.EventContext =>
    partial<Xrm.Events.EventContext>("executionContext", {
      getFormContext: () => formContext,
      getContext: () => xrm().Utility.getGlobalContext(),
      getDepth: () => 1,
      getEventSource: () => source as never,
      ...({ getEventArgs: () => args } as object),
      getSharedVariable: () => undefined as never,
      setSharedVariable: () => undefined,
    });

  const attributeType = (t: string) =>
    ({
      string: "string",
      memo: "memo",
      integer: "integer",
      bigint: "integer",
      boolean: "boolean",
      datetime: "datetime",
      lookup: "lookup",
      customer: "lookup",
      owner: "lookup",
      picklist: "optionset",
      state: "optionset",
      status: "optionset",
      primarykey: "string",
    })[t] ?? "string";

  const attributes = new Map<string, Xrm.Attributes.Attribute>();
  for (const [name, info] of Object.entries(boot.columns)) {
    const attribute = partial<Xrm.Attributes.Attribute>(`attribute "${name}"`, {
      getName: () => name,
      getAttributeType: () => attributeType(info.type) as never,
      getValue: () => values.get(name) as never,
      setValue: (value: unknown) => {
        values.set(name, value);
        dirty.add(name);
      },
      getIsDirty: () => dirty.has(name),
      getRequiredLevel: () => (info.required ? "required" : "none"),
      setRequiredLevel: () => undefined,
      getSubmitMode: () => "dirty",
      setSubmitMode: () => undefined,
      addOnChange: (h: Handler) => void changeHandlers.set(name, [...(changeHandlers.get(name) ?? []), h]),
      removeOnChange: (h: Handler) =>
        void changeHandlers.set(
          name,
          (changeHandlers.get(name) ?? []).filter((x) => x !== h),
        ),
      fireOnChange: () => (changeHandlers.get(name) ?? []).forEach((h) => h(eventContext(attributes.get(name)))),
      ...({ getText: () => String(boot.record[`${info.property}${FORMATTED}`] ?? "") } as object),
      getFormat: () => null as never,
      controls: collection(
        () => controls.filter((c) => c.getName() === name),
        (c) => c.getName(),
      ) as never,
    });
    attributes.set(name, attribute);
  }

  const host = (name: string) => document.querySelector<HTMLElement>(`[data-control="${CSS.escape(name)}"]`);
  const tabOf = (control: ControlInfo) => control.tab;

  const frameState = (name: string): FrameState => {
    let state = frames.get(name);
    if (!state) {
      state = { waiters: [] };
      frames.set(name, state);
    }
    return state;
  };

  /** Builds the frame with the query string Unified Interface passes to a web resource with PassParameters. */
  const createFrame = (control: ControlInfo) => {
    const el = host(control.controlName ?? "");
    if (!el || !control.webResource) return;
    const state = frameState(control.controlName ?? "");
    const query = new URLSearchParams({
      typename: boot.table,
      id: braced(boot.id),
      orgname: shell.orgName,
      userlcid: String(shell.user.languageId),
      orglcid: "1033",
    });
    const frame = document.createElement("iframe");
    frame.className = "wr-frame";
    frame.title = control.label ?? control.controlName ?? "";
    frame.src = `${shell.webResourcePrefix}${control.webResource}?${query.toString()}`;
    state.element = frame;
    state.loaded = new Promise((resolve) => {
      frame.addEventListener("load", () => {
        const w = frame.contentWindow as Window;
        resolve(w);
        state.waiters.splice(0).forEach((fn) => fn(w));
      });
    });
    el.replaceChildren(frame);
  };

  const destroyFrame = (control: ControlInfo) => {
    const state = frameState(control.controlName ?? "");
    state.element?.remove();
    state.element = undefined;
    state.loaded = undefined;
  };

  const webResourceControls = boot.controls.filter((c) => c.kind === "webresource");

  const selectTab = (name: string) => {
    if (name === selectedTab) return;
    const previous = selectedTab;
    selectedTab = name;
    document.querySelectorAll<HTMLElement>(".tab[data-tab]").forEach((t) => t.classList.toggle("active", t.dataset.tab === name));
    document.querySelectorAll<HTMLElement>(".tab-panel").forEach((p) => (p.hidden = p.dataset.tab !== name));
    // Unified Interface tears down web resource frames of a tab that is left and builds them again on return.
    for (const c of webResourceControls) {
      if (tabOf(c) === previous) destroyFrame(c);
      if (tabOf(c) === name) createFrame(c);
    }
    for (const tabName of [previous, name]) {
      const tab = tabs.find((t) => t.getName() === tabName);
      (tabHandlers.get(tabName) ?? []).forEach((h) => h(eventContext(tab)));
    }
  };

  const controls: Xrm.Controls.Control[] = boot.controls.map((c) => {
    const name = c.kind === "field" ? (c.column ?? "") : c.kind === "webresource" ? (c.controlName ?? "") : (c.name ?? "");
    const common = {
      getName: () => name,
      getLabel: () => c.label ?? boot.columns[c.column ?? ""]?.displayName ?? name,
      setLabel: () => undefined,
      getVisible: () => !(host(name)?.hidden ?? false),
      setVisible: (visible: boolean) => {
        const el = host(name);
        if (el) el.hidden = !visible;
      },
      getParent: () => tabs.find((t) => t.getName() === c.tab)?.sections.get(c.section) as never,
    };
    if (c.kind === "webresource") {
      return partial<Xrm.Controls.IframeControl>(`control "${name}"`, {
        ...common,
        getControlType: () => "webresource" as never,
        getContentWindow: () => {
          const state = frameState(name);
          if (state.loaded) return state.loaded;
          return new Promise<Window>((resolve) => state.waiters.push(resolve));
        },
        getObject: () => frameState(name).element as never,
        getSrc: () => frameState(name).element?.src ?? "",
        setSrc: (src: string) => {
          const el = frameState(name).element;
          if (el) el.src = src;
        },
        getInitialUrl: () => `${shell.webResourcePrefix}${c.webResource ?? ""}`,
      }) as Xrm.Controls.Control;
    }
    if (c.kind === "subgrid") {
      return partial<Xrm.Controls.GridControl>(`control "${name}"`, {
        ...common,
        getControlType: () => "subgrid" as never,
        refresh: () => void refreshFromServer(),
      }) as Xrm.Controls.Control;
    }
    return partial<Xrm.Controls.StandardControl>(`control "${name}"`, {
      ...common,
      getControlType: () => "standard" as never,
      getAttribute: () => attributes.get(name) as never,
      getDisabled: () => c.readOnly === true || boot.inactive,
      setDisabled: () => undefined,
      setNotification: (message: string) => {
        host(name)?.setAttribute("data-notification", message);
        return true;
      },
      clearNotification: () => {
        host(name)?.removeAttribute("data-notification");
        return true;
      },
      setFocus: () => host(name)?.querySelector<HTMLElement>("input,textarea,a")?.focus(),
    }) as Xrm.Controls.Control;
  });

  // The timeline wall beside the form ("Timeline", type timelinewall): refresh() redraws its notes
  // and e-mails without reloading the form, as Unified Interface's does.
  if (document.getElementById("timeline")) {
    controls.push(
      partial<Xrm.Controls.Control & { refresh(): void }>('control "Timeline"', {
        getName: () => "Timeline",
        getLabel: () => "Timeline",
        getControlType: () => "timelinewall" as never,
        getVisible: () => !(document.getElementById("timeline")?.hidden ?? false),
        refresh: () => void refreshTimeline(),
      }) as Xrm.Controls.Control,
    );
  }

  const tabs: Xrm.Controls.Tab[] = boot.form.tabs.map((t) => {
    const sections = t.sections.map((s) =>
      partial<Xrm.Controls.Section>(`section "${s.name}"`, {
        getName: () => s.name,
        getLabel: () => s.label,
        getVisible: () => true,
        setVisible: () => undefined,
        controls: collection(
          () => controls.filter((_, i) => boot.controls[i]?.tab === t.name && boot.controls[i]?.section === s.name),
          (c) => c.getName(),
        ) as never,
      }),
    );
    return partial<Xrm.Controls.Tab>(`tab "${t.name}"`, {
      getName: () => t.name,
      getLabel: () => t.label,
      setLabel: () => undefined,
      getDisplayState: () => (selectedTab === t.name ? "expanded" : "collapsed"),
      setDisplayState: (state: string) => {
        if (state === "expanded") selectTab(t.name);
      },
      getVisible: () => true,
      setVisible: () => undefined,
      setFocus: () => selectTab(t.name),
      addTabStateChange: (h: Handler) => void tabHandlers.set(t.name, [...(tabHandlers.get(t.name) ?? []), h]),
      removeTabStateChange: (h: Handler) =>
        void tabHandlers.set(
          t.name,
          (tabHandlers.get(t.name) ?? []).filter((x) => x !== h),
        ),
      sections: collection(
        () => sections,
        (s) => s.getName(),
      ),
    });
  });

  /** Redraws the timeline wall from the server (what the signed-in user may read, newest first). */
  const refreshTimeline = async () => {
    const html = await (await fetch(location.href, { credentials: "same-origin" })).text();
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#timeline");
    const current = document.getElementById("timeline");
    if (fresh && current) current.innerHTML = fresh.innerHTML;
  };

  /** Re-reads the record and re-renders the server-drawn parts (fields, header, timeline, subgrids); frames stay. */
  const refreshFromServer = async () => {
    const record = await xrm().WebApi.retrieveRecord(boot.table, boot.id);
    boot.record = record as Record<string, unknown>;
    loadValues(boot.record);
    dirty.clear();
    const html = await (await fetch(location.href, { credentials: "same-origin" })).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    for (const selector of [".field[data-control]", ".subgrid[data-control]"]) {
      doc.querySelectorAll<HTMLElement>(selector).forEach((fresh) => {
        const current = document.querySelector(`${selector.split("[")[0]}[data-control="${CSS.escape(fresh.dataset.control ?? "")}"]`);
        if (current) current.innerHTML = fresh.innerHTML;
      });
    }
    for (const selector of ["#timeline", ".hdr-fields", ".record-title h1"]) {
      const fresh = doc.querySelector(selector);
      const current = document.querySelector(selector);
      if (fresh && current) current.innerHTML = fresh.innerHTML;
    }
    bindInputs();
    dataOnLoad.forEach((h) => h(eventContext(formContext.data)));
  };

  const save = async () => {
    onSave.forEach((h) =>
      h(
        eventContext(
          formContext.data.entity,
          partial("saveEventArgs", { getSaveMode: () => 1, preventDefault: () => undefined, isDefaultPrevented: () => false }),
        ),
      ),
    );
    const changes: Record<string, unknown> = {};
    for (const name of dirty) {
      const info = boot.columns[name];
      if (!info || info.property.startsWith("_")) continue;
      const v = values.get(name);
      changes[name] = v instanceof Date ? v.toISOString() : v;
    }
    if (Object.keys(changes).length) await xrm().WebApi.updateRecord(boot.table, boot.id, changes);
    dirty.clear();
    await refreshFromServer();
    const args = partial("postSaveEventArgs", {
      getEntityReference: () => ({ id: braced(boot.id), entityType: boot.table, name: String(boot.record[boot.primaryName] ?? "") }),
      getIsSaveSuccess: () => true,
    });
    postSave.forEach((h) => h(eventContext(formContext.data.entity, args)));
  };

  const entity = partial<Xrm.Entity>("formContext.data.entity", {
    getId: () => braced(boot.id),
    getEntityName: () => boot.table,
    getEntityReference: () => ({ id: braced(boot.id), entityType: boot.table, name: String(boot.record[boot.primaryName] ?? "") }),
    getPrimaryAttributeValue: () => String(boot.record[boot.primaryName] ?? ""),
    getIsDirty: () => dirty.size > 0,
    isValid: () => true,
    attributes: collection(
      () => [...attributes.values()],
      (a) => a.getName(),
    ) as never,
    addOnSave: (h: Handler) => void onSave.push(h),
    removeOnSave: (h: Handler) => void onSave.splice(onSave.indexOf(h) >>> 0, 1),
    addOnPostSave: ((h: Handler) => void postSave.push(h)) as never,
    removeOnPostSave: ((h: Handler) => void postSave.splice(postSave.indexOf(h) >>> 0, 1)) as never,
    save: () => void save(),
  });

  const notifications = new Map<string, HTMLElement>();
  const ui = partial<Xrm.Ui>("formContext.ui", {
    setFormNotification: (message: string, level: Xrm.FormNotificationLevel, uniqueId: string) => {
      notifications.get(uniqueId)?.remove();
      const el = document.createElement("div");
      el.className = `form-notice ${String(level).toLowerCase()}`;
      el.textContent = message;
      document.getElementById("formNotifications")?.appendChild(el);
      notifications.set(uniqueId, el);
      return true;
    },
    clearFormNotification: (uniqueId: string) => {
      notifications.get(uniqueId)?.remove();
      return notifications.delete(uniqueId);
    },
    getFormType: () => (boot.inactive ? 3 : 2) as never,
    close: () => history.back(),
    refreshRibbon: () => undefined,
    tabs: collection(
      () => tabs,
      (t) => t.getName(),
    ) as never,
    controls: collection(
      () => controls,
      (c) => c.getName(),
    ) as never,
  });

  const data = partial<Xrm.Data>("formContext.data", {
    entity,
    refresh: ((saveFirst?: boolean) => (saveFirst ? save() : refreshFromServer())) as never,
    save: (() => save()) as never,
    getIsDirty: () => dirty.size > 0,
    isValid: () => true,
    addOnLoad: ((h: Handler) => void dataOnLoad.push(h)) as never,
    removeOnLoad: ((h: Handler) => void dataOnLoad.splice(dataOnLoad.indexOf(h) >>> 0, 1)) as never,
  });

  formContext = partial<Xrm.FormContext>("formContext", {
    data,
    ui,
    getAttribute: ((name?: unknown) => (typeof name === "string" ? (attributes.get(name) ?? null) : [...attributes.values()])) as never,
    getControl: ((name?: unknown) => (typeof name === "string" ? (controls.find((c) => c.getName() === name) ?? null) : controls)) as never,
  });

  const bindInputs = () => {
    document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(".field-input[data-attribute]").forEach((input) => {
      input.onchange = () => {
        const name = input.dataset.attribute ?? "";
        attributes.get(name)?.setValue(input.value as never);
        attributes.get(name)?.fireOnChange();
        document.querySelector(".saved")?.replaceChildren(document.createTextNode(" - Unsaved"));
      };
    });
  };

  const loadScript = (src: string) =>
    new Promise<void>((resolve) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => {
        ui.setFormNotification(`The form library ${src} could not be loaded.`, "ERROR", `lib-${src}`);
        resolve();
      };
      document.head.appendChild(s);
    });

  const resolveFunction = (dotted: string): ((...args: unknown[]) => unknown) | undefined => {
    let target: unknown = window;
    for (const part of dotted.split(".")) target = (target as Record<string, unknown> | undefined)?.[part];
    return typeof target === "function" ? (target as (...args: unknown[]) => unknown) : undefined;
  };

  const scriptError = (what: string, e: unknown) => {
    console.error(e);
    ui.setFormNotification(`Script Error: ${what}: ${(e as Error)?.message ?? String(e)}`, "ERROR", `script-${what}`);
  };

  return {
    formContext,
    async start() {
      document.querySelectorAll<HTMLElement>(".tab[data-tab]").forEach((t) => (t.onclick = () => selectTab(t.dataset.tab ?? "")));
      bindInputs();
      for (const c of webResourceControls) if (tabOf(c) === selectedTab) createFrame(c);
      for (const library of boot.form.libraries) await loadScript(`${shell.webResourcePrefix}${library}`);
      for (const handler of boot.form.handlers.filter((h) => h.event === "onload")) {
        const fn = resolveFunction(handler.functionName);
        if (!fn) {
          scriptError(
            handler.functionName,
            new Error(`The function "${handler.functionName}" was not found in ${boot.form.libraries.join(", ")}.`),
          );
          continue;
        }
        try {
          await fn(eventContext(formContext, partial("loadEventArgs", { getDataLoadState: () => 1 })));
        } catch (e) {
          scriptError(handler.functionName, e);
        }
      }
      document.querySelectorAll<HTMLElement>('.cmd[data-command="custom"]').forEach((button) => {
        button.onclick = async () => {
          const command = boot.commands.find((c) => c.functionName === button.dataset.function);
          const fn = command && resolveFunction(command.functionName);
          if (!command || !fn) {
            await xrm().Navigation.openErrorDialog({ message: `The command's function ${button.dataset.function} is not loaded.` });
            return;
          }
          try {
            await fn(...command.parameters.map((p) => (p === "PrimaryControl" ? formContext : undefined)));
          } catch (e) {
            await xrm().Navigation.openErrorDialog({ message: (e as Error)?.message ?? String(e) });
          }
        };
      });
      const on = (command: string, fn: () => unknown) =>
        document.querySelectorAll<HTMLElement>(`.cmd[data-command="${command}"]`).forEach((b) => (b.onclick = () => void fn()));
      on("save", () => save().catch((e) => xrm().Navigation.openErrorDialog({ message: (e as Error).message })));
      on("saveClose", async () => {
        await save();
        history.back();
      });
      on("refresh", () => refreshFromServer());
      on("resolveCase", async () => {
        const { confirmed } = await xrm().Navigation.openConfirmDialog({
          title: "Resolve Case",
          text: "Resolve this case as Problem Solved? A resolved case is read-only.",
          confirmButtonLabel: "Resolve",
        });
        if (!confirmed) return;
        const r = await fetch("/api/data/v9.2/CloseIncident", {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            IncidentResolution: { subject: "Problem solved", "incidentid@odata.bind": `/incidents(${boot.id})` },
            Status: 5,
          }),
        });
        if (!r.ok) await xrm().Navigation.openErrorDialog({ message: (await failure(r)).message });
        else location.reload();
      });
    },
  };
}

// ---------------------------------------------------------------- page chrome

function chrome(): void {
  const toggle = (button: string, flyout: string, onOpen?: () => void) => {
    const b = document.getElementById(button);
    const f = document.getElementById(flyout);
    if (!b || !f) return;
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      const open = f.hidden;
      document.querySelectorAll<HTMLElement>(".flyout").forEach((other) => (other.hidden = true));
      f.hidden = !open;
      if (open) onOpen?.();
    });
    document.addEventListener("click", (e) => {
      if (!f.contains(e.target as Node)) f.hidden = true;
    });
  };
  const loadNotifications = async () => {
    const list = document.getElementById("notificationList");
    const count = document.getElementById("notificationCount");
    try {
      const r = await fetch("/api/data/v9.2/appnotifications?$select=title,body,createdon&$orderby=createdon desc&$top=50", {
        credentials: "same-origin",
        headers: { Prefer: 'odata.include-annotations="*"' },
      });
      const items = ((await r.json()) as { value: Record<string, string>[] }).value ?? [];
      if (count) {
        count.textContent = String(items.length);
        count.hidden = items.length === 0;
      }
      if (list) {
        list.replaceChildren();
        if (!items.length) list.textContent = "No new notifications.";
        for (const n of items) {
          const item = document.createElement("div");
          item.className = "notification";
          const title = document.createElement("b");
          title.textContent = n.title;
          const body = document.createElement("p");
          body.textContent = n.body ?? "";
          const when = document.createElement("small");
          when.textContent = n[`createdon${FORMATTED}`] ?? "";
          item.append(title, body, when);
          list.appendChild(item);
        }
      }
    } catch {
      if (list) list.textContent = "Notifications could not be loaded.";
    }
  };
  toggle("userButton", "userFlyout");
  toggle("notificationBell", "notificationFlyout", () => void loadNotifications());
  void loadNotifications();
  const viewButton = document.getElementById("viewSelector");
  const viewMenu = viewButton?.nextElementSibling as HTMLElement | null;
  viewButton?.addEventListener("click", (e) => {
    e.stopPropagation();
    if (viewMenu) viewMenu.hidden = !viewMenu.hidden;
  });
  if (!document.getElementById("cfx-form")) {
    document.querySelectorAll<HTMLElement>('.cmd[data-command="refresh"]').forEach((b) => (b.onclick = () => location.reload()));
  }
  document.querySelectorAll<HTMLElement>('.cmd[data-command="back"]').forEach((b) => (b.onclick = () => history.back()));
  document
    .querySelectorAll<HTMLElement>('.cmd[data-command="noop"]')
    .forEach(
      (b) =>
        (b.onclick = () =>
          void dialog(
            "Not in the sandbox",
            "This command belongs to Dynamics 365 itself; the sandbox only stands in for what the product uses.",
            [{ label: "OK", primary: true, value: true }],
          )),
    );
}

function main(): void {
  chrome();
  const shell = readJson<ShellContext>("cfx-shell-context");
  if (!shell) return;
  const boot = readJson<FormBoot>("cfx-form");
  let form: ReturnType<typeof createForm> | undefined;
  const xrm = createXrm(shell, form || boot ? () => (form as ReturnType<typeof createForm>).formContext : undefined);
  (window as unknown as { Xrm: Xrm.XrmStatic }).Xrm = xrm;
  if (boot) {
    form = createForm(shell, boot, () => xrm);
    void form.start();
  }
}

main();

export {};
