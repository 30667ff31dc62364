import { DOMParser, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";
import { readUi } from "../../../sandbox/install/readUi";
import { SolutionImportError } from "../../../sandbox/install/SolutionImportError";
import { customizationsXml } from "../../../solution/customizationsXml";
import { dashboardId } from "../../../solution/dashboardXml";
import { formId } from "../../../solution/formXml";
import { linkAlias, viewId } from "../../../solution/savedQueryXml";
import { dashboardDefs, supervisorDashboard, type DashboardDef, type DashboardListDef } from "../../../src/model/dashboards";
import { caseForm, fileExchangeForm, formDefs, hardwareTicketForm, type FormDef, type FormItemDef } from "../../../src/model/forms";
import { commandDefs, notifySupportCommand, type CommandDef } from "../../../src/model/ribbon";
import { supervisorView, viewByKey, viewDefs as productViews, type ViewDef } from "../../../src/model/views";
import { caseViews } from "../../../src/model/caseStatus";
import { formScript, webResources } from "../../../src/model/webresources";

/** Every view the zip carries: the product tables' and the Case's. */
const viewDefs = [...productViews, ...caseViews];

const packed = customizationsXml(webResources);
const productRead = readUi(packed);
// The Case views ship in the Case status solution, imported after the product.
const statusRead = readUi(customizationsXml([], "caseStatus"));
const read = { ...productRead, views: [...productRead.views, ...statusRead.views] };

/** An id as the catalog keys it: lower case, no braces. */
const bare = (braced: string) => braced.replace(/[{}]/g, "").toLowerCase();
const viewKeyToId = (key: string) => bare(viewId(viewByKey(key)));
/** The id solution/ribbonXml.ts gives a command's CommandDefinition. */
const commandId = (c: CommandDef) => `cfx.${c.table}.${c.key}.Command`;

// The model as an imported catalog names it: components by id, views referenced by id.
const expectedItem = (item: FormItemDef): FormItemDef => (item.kind === "subgrid" ? { ...item, view: viewKeyToId(item.view) } : item);
const expectedForm = (f: FormDef): FormDef => ({
  ...f,
  key: bare(formId(f)),
  tabs: f.tabs.map((t) => ({ ...t, sections: t.sections.map((s) => ({ ...s, items: s.items.map(expectedItem) })) })),
});
const expectedView = (v: ViewDef): ViewDef => ({
  ...v,
  key: bare(viewId(v)),
  columns: v.columns.map((c) => (c.link ? { ...c, link: linkAlias(v, c.link) } : c)),
  links: v.links?.map((l) => ({ ...l, key: linkAlias(v, l.key) })),
});
const expectedList = (l: DashboardListDef): DashboardListDef => ({ ...l, view: viewKeyToId(l.view) });
const expectedDashboard = (d: DashboardDef): DashboardDef => ({
  ...d,
  key: bare(dashboardId(d)),
  top: d.top.map(expectedList),
  wide: expectedList(d.wide),
});
const expectedCommand = (c: CommandDef): CommandDef => ({ ...c, key: commandId(c) });

const byKey = <T extends { readonly key: string }>(items: readonly T[], key: string) => items.find((i) => i.key === key);
const keys = (items: readonly { readonly key: string }[]) => items.map((i) => i.key).sort();

describe("readUi reads back what the packer writes", () => {
  it.each(formDefs.map((f) => [f.key, f] as const))("form %s: tabs, sections, items, libraries and handlers", (_key, form) => {
    expect(byKey(read.forms, bare(formId(form)))).toEqual(expectedForm(form));
  });

  it("finds every form of the model and no other", () => {
    expect(keys(read.forms)).toEqual(keys(formDefs.map(expectedForm)));
  });

  it.each(viewDefs.map((v) => [v.key, v] as const))(
    "view %s: kind, default, name, columns, order, filter, links, quick find",
    (_key, view) => {
      expect(byKey(read.views, bare(viewId(view)))).toEqual(expectedView(view));
    },
  );

  it("finds every view of the model and no other", () => {
    expect(keys(read.views)).toEqual(keys(viewDefs.map(expectedView)));
  });

  it.each(dashboardDefs.map((d) => [d.key, d] as const))("dashboard %s: its lists point at their views' ids", (_key, dashboard) => {
    expect(byKey(read.dashboards, bare(dashboardId(dashboard)))).toEqual(expectedDashboard(dashboard));
  });

  it("finds every dashboard of the model and no other", () => {
    expect(keys(read.dashboards)).toEqual(keys(dashboardDefs.map(expectedDashboard)));
  });

  it.each(commandDefs.map((c) => [c.key, c] as const))(
    "command %s: label, tooltip, icon, function, parameters, rules, sequence",
    (_key, command) => {
      expect(byKey(read.commands, commandId(command))).toEqual(expectedCommand(command));
    },
  );

  it("finds every command of the model and no other", () => {
    expect(keys(read.commands)).toEqual(keys(commandDefs.map(expectedCommand)));
  });

  it("keys a form, view or dashboard by its id and references views by id", () => {
    const exchange = byKey(read.forms, bare(formId(fileExchangeForm)));
    const subgrids = exchange?.tabs.flatMap((t) => t.sections.flatMap((s) => s.items)).filter((i) => i.kind === "subgrid") ?? [];
    expect(subgrids.map((s) => s.kind === "subgrid" && s.view)).toEqual([
      viewKeyToId("cfx_exchangerecipient/associated"),
      viewKeyToId("cfx_filereceipt/associated"),
    ]);
    for (const list of [...read.dashboards[0].top, read.dashboards[0].wide]) expect(byKey(read.views, list.view)).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Editing the packer's output as a document, to write what Dataverse (or a person) could write instead.

const parseXml = (xml: string): Document => new DOMParser().parseFromString(xml, "text/xml");
const serialize = (doc: Document): string => new XMLSerializer().serializeToString(doc);
const all = (doc: Document | Element, tag: string): Element[] => Array.from(doc.getElementsByTagName(tag));
const one = (doc: Document | Element, tag: string, where: (e: Element) => boolean = () => true): Element => {
  const found = all(doc, tag).find(where);
  if (!found) throw new Error(`The packed XML has no ${tag} like that.`);
  return found;
};
const withText = (text: string) => (e: Element) => (e.textContent ?? "").trim() === text;
const withAttr = (name: string, value: string) => (e: Element) => e.getAttribute(name) === value;
const parent = (e: Element): Element => e.parentNode as Element;
const remove = (e: Element) => e.parentNode?.removeChild(e);
const edit = (fn: (doc: Document) => void): string => {
  const doc = parseXml(packed);
  fn(doc);
  return serialize(doc);
};

const savedQuery = (doc: Document, view: ViewDef) => parent(one(doc, "savedqueryid", withText(viewId(view))));
const systemForm = (doc: Document, form: FormDef) => parent(one(doc, "formid", withText(formId(form))));
const commandDefinition = (doc: Document) => one(doc, "CommandDefinition", withAttr("Id", commandId(notifySupportCommand)));
const enableRuleId = "cfx.cfx_hardwareticket.NotifySupport.ExistingRecord.EnableRule";
/** The Notify Support command's enable rule in RuleDefinitions (not the CommandDefinition's reference to it). */
const enableRuleDefinition = (doc: Document) =>
  one(doc, "EnableRule", (e) => e.getAttribute("Id") === enableRuleId && parent(parent(e)).tagName === "RuleDefinitions");

describe("readUi reads as Dataverse does", () => {
  it("does not depend on attribute order, indentation, line ends or the case of ids", () => {
    const reordered = edit((doc) => {
      for (const e of all(doc, "*")) {
        const names = Array.from({ length: e.attributes.length }, (_, i) => e.attributes.item(i)?.name ?? "").filter(
          (n) => !n.startsWith("xmlns"),
        );
        const values = names.map((n) => [n, e.getAttribute(n) ?? ""] as const);
        for (const n of names) e.removeAttribute(n);
        for (const [n, v] of values.reverse()) e.setAttribute(n, v);
      }
    })
      .replace(/>\s+</g, "><")
      .replace(/\{[0-9a-f-]{36}\}/g, (guid) => guid.toUpperCase());
    expect(reordered).not.toContain("\n");
    expect(readUi(reordered)).toEqual(productRead);
  });

  /** A table as the maker portal exports it: optional attributes left out, other form types, a view type the shell does not list. */
  const portalExport = `<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities>
    <Entity>
      <Name LocalizedName="Widget" OriginalName="Widget">new_Widget</Name>
      <EntityInfo><entity Name="new_Widget"><attributes /></entity></EntityInfo>
      <FormXml>
        <forms type="card">
          <systemform>
            <formid>{0f6c4a8e-1111-4c2b-9a7e-000000000001}</formid>
            <form><tabs><tab name="general"><columns><column width="100%"><sections /></column></columns></tab></tabs></form>
            <LocalizedNames><LocalizedName description="Card" languagecode="1033" /></LocalizedNames>
          </systemform>
        </forms>
        <forms type="main">
          <systemform>
            <formid>{0F6C4A8E-1111-4C2B-9A7E-000000000002}</formid>
            <FormActivationState>1</FormActivationState>
            <form>
              <tabs>
                <tab verticallayout="true" id="{0f6c4a8e-2222-4c2b-9a7e-000000000001}">
                  <labels><label description="Allgemein" languagecode="1031" /><label description="General" languagecode="1033" /></labels>
                  <columns>
                    <column width="50%">
                      <sections>
                        <section id="{0f6c4a8e-3333-4c2b-9a7e-000000000001}">
                          <labels><label description="Details" languagecode="1033" /></labels>
                          <rows>
                            <row>
                              <cell id="{0f6c4a8e-4444-4c2b-9a7e-000000000001}"><control id="new_name" classid="{4273EDBD-AC1D-40d3-9FB2-095C621B552D}" datafieldname="new_name" /></cell>
                              <cell id="{0f6c4a8e-4444-4c2b-9a7e-000000000002}" />
                            </row>
                            <row>
                              <cell id="{0f6c4a8e-4444-4c2b-9a7e-000000000003}"><control id="notescontrol" classid="{06375649-c143-495e-a496-c962e5b4488e}" /></cell>
                            </row>
                          </rows>
                        </section>
                      </sections>
                    </column>
                    <column width="50%">
                      <sections>
                        <section name="more" showlabel="1">
                          <rows><row><cell><control id="ownerid" datafieldname="ownerid" disabled="1" /></cell></row></rows>
                        </section>
                      </sections>
                    </column>
                  </columns>
                </tab>
              </tabs>
              <events>
                <event name="onchange" application="true" attribute="new_name">
                  <InternalHandlers><Handler functionName="Mscrm.Form_onchange" libraryName="Mscrm.Form_onchange.js" handlerUniqueId="{0f6c4a8e-5555-4c2b-9a7e-000000000001}" enabled="true" /></InternalHandlers>
                </event>
              </events>
            </form>
            <LocalizedNames><LocalizedName description="Information" languagecode="1033" /></LocalizedNames>
          </systemform>
          <systemform>
            <formid>{0f6c4a8e-1111-4c2b-9a7e-000000000003}</formid>
            <FormActivationState>0</FormActivationState>
            <form><tabs /></form>
            <LocalizedNames><LocalizedName description="Retired" languagecode="1033" /></LocalizedNames>
          </systemform>
        </forms>
      </FormXml>
      <SavedQueries>
        <savedqueries>
          <savedquery>
            <savedqueryid>{0f6c4a8e-6666-4c2b-9a7e-000000000001}</savedqueryid>
            <querytype>8192</querytype>
            <fetchxml><fetch><entity name="new_widget"><attribute name="new_widgetid" /></entity></fetch></fetchxml>
            <LocalizedNames><LocalizedName description="Offline" languagecode="1033" /></LocalizedNames>
          </savedquery>
          <savedquery>
            <isdefault>1</isdefault>
            <savedqueryid>{0f6c4a8e-6666-4c2b-9a7e-000000000002}</savedqueryid>
            <layoutxml><grid name="resultset" jump="new_name" select="1" icon="1" preview="1"><row name="result" id="new_widgetid"><cell name="new_name" /><cell name="createdon" width="125" /></row></grid></layoutxml>
            <querytype>0</querytype>
            <fetchxml>
              <fetch version="1.0" mapping="logical" output-format="xml-platform">
                <entity name="new_widget">
                  <attribute name="new_name" />
                  <order attribute="new_name" />
                  <filter><condition attribute="ownerid" operator="eq-userid" /></filter>
                  <filter type="and"><condition attribute="statecode" operator="eq" value="0" /></filter>
                </entity>
              </fetch>
            </fetchxml>
            <LocalizedNames><LocalizedName description="My Widgets" languagecode="1033" /></LocalizedNames>
          </savedquery>
        </savedqueries>
      </SavedQueries>
      <RibbonDiffXml>
        <CustomActions>
          <CustomAction Id="new.widget.grid" Location="Mscrm.HomepageGrid.new_widget.MainTab.Actions.Controls._children">
            <CommandUIDefinition><Button Id="new.widget.grid.Button" Command="new.widget.Open" /></CommandUIDefinition>
          </CustomAction>
          <CustomAction Id="new.widget.form" Location="Mscrm.Form.{!EntityLogicalName}.MainTab.Actions.Controls._children" Sequence="30">
            <CommandUIDefinition><Button Id="new.widget.form.Button" Command="new.widget.Open" LabelText="Open" /></CommandUIDefinition>
          </CustomAction>
        </CustomActions>
        <CommandDefinitions>
          <CommandDefinition Id="new.widget.Open">
            <EnableRules />
            <DisplayRules />
            <Actions><JavaScriptFunction FunctionName="widget.open" Library="$webresource:new_/widget.js" /></Actions>
          </CommandDefinition>
        </CommandDefinitions>
        <RuleDefinitions><TabDisplayRules /><DisplayRules /><EnableRules /></RuleDefinitions>
        <LocLabels />
      </RibbonDiffXml>
    </Entity>
  </Entities>
</ImportExportXml>`;

  it("reads a main form whose tabs and sections have no names, by their ids, and leaves out card forms, inactive forms and controls it cannot draw", () => {
    expect(readUi(portalExport).forms).toEqual([
      {
        key: "0f6c4a8e-1111-4c2b-9a7e-000000000002",
        table: "new_widget",
        type: "main",
        name: "Information",
        description: "",
        tabs: [
          {
            name: "0f6c4a8e-2222-4c2b-9a7e-000000000001",
            label: "General",
            sections: [
              {
                name: "0f6c4a8e-3333-4c2b-9a7e-000000000001",
                label: "Details",
                showLabel: true,
                items: [{ kind: "field", column: "new_name" }],
              },
              { name: "more", label: "", showLabel: true, items: [{ kind: "field", column: "ownerid", readOnly: true }] },
            ],
          },
        ],
        libraries: [],
        handlers: [],
      },
    ]);
  });

  it("reads a view with default widths, ascending order and untyped filters, and leaves out query types the shell does not list", () => {
    expect(readUi(portalExport).views).toEqual([
      {
        key: "0f6c4a8e-6666-4c2b-9a7e-000000000002",
        table: "new_widget",
        kind: "public",
        name: "My Widgets",
        isDefault: true,
        columns: [
          { column: "new_name", width: 100 },
          { column: "createdon", width: 125 },
        ],
        order: [{ column: "new_name", descending: false }],
        filter: [
          { column: "ownerid", operator: "eq-userid" },
          { column: "statecode", operator: "eq", value: "0" },
        ],
      },
    ]);
  });

  it("reads form command bar buttons only, with the table's name in place of {!EntityLogicalName}", () => {
    expect(readUi(portalExport).commands).toEqual([
      {
        key: "new.widget.Open",
        table: "new_widget",
        location: "form",
        label: "Open",
        tooltip: "",
        modernImage: "",
        library: "new_/widget.js",
        functionName: "widget.open",
        parameters: [],
        existingRecordOnly: false,
        sequence: 30,
      },
    ]);
  });

  it("reads a dashboard of one list as a wide list with nothing on top, with the designer's rows per page when it does not say", () => {
    const oneList = edit((doc) => {
      const dashboard = one(doc, "Dashboard");
      const rows = one(dashboard, "rows");
      // The first cell is the web resource across the top; the three lists follow it.
      for (const cell of all(rows, "cell").slice(1, 4)) remove(cell);
      remove(one(dashboard, "RecordsPerPage", withText("25")));
    });
    expect(readUi(oneList).dashboards).toEqual([
      { ...expectedDashboard(supervisorDashboard), top: [], wide: { view: viewKeyToId(supervisorDashboard.wide.view), recordsPerPage: 4 } },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

/** The SolutionImportError readUi throws; fails the test when it throws nothing or something else. */
function refusal(xml: string): SolutionImportError {
  try {
    readUi(xml);
  } catch (e) {
    if (e instanceof SolutionImportError) return e;
    throw e;
  }
  throw new Error("readUi accepted the input.");
}

const supervisorId = viewId(supervisorView);
const supervisorWhere = `Entity cfx_fileexchange/savedquery ${supervisorId}`;
const caseFormWhere = `Entity incident/systemform ${formId(caseForm)}`;
const ticketFormWhere = `Entity cfx_hardwareticket/systemform ${formId(hardwareTicketForm)}`;
const exchangeFormWhere = `Entity cfx_fileexchange/systemform ${formId(fileExchangeForm)}`;
const dashboardWhere = `Dashboard ${dashboardId(supervisorDashboard)}`;
const ribbonWhere = "Entity cfx_hardwareticket/RibbonDiffXml";
const commandWhere = `${ribbonWhere}/CommandDefinition ${commandId(notifySupportCommand)}`;
const buttonWhere = `${ribbonWhere}/CustomAction cfx.cfx_hardwareticket.NotifySupport.CustomAction/Button cfx.cfx_hardwareticket.NotifySupport.Button`;

describe("readUi refuses what it cannot read, naming the file and the element", () => {
  const cases: readonly (readonly [string, () => string, string])[] = [
    ["a file that is not well-formed XML", () => packed.slice(0, packed.length / 2), "ImportExportXml"],
    ["a savedquery without fetchxml", () => edit((doc) => remove(one(savedQuery(doc, supervisorView), "fetchxml"))), supervisorWhere],
    ["a savedquery without layoutxml", () => edit((doc) => remove(one(savedQuery(doc, supervisorView), "layoutxml"))), supervisorWhere],
    [
      "a savedquery whose fetchxml queries another table",
      () => edit((doc) => one(savedQuery(doc, supervisorView), "entity").setAttribute("name", "incident")),
      `${supervisorWhere}/fetchxml/fetch/entity`,
    ],
    [
      "a view condition with an operator the sandbox does not apply",
      () => edit((doc) => one(savedQuery(doc, supervisorView), "condition").setAttribute("operator", "in")),
      `${supervisorWhere}/fetchxml/fetch/entity/filter/condition statecode`,
    ],
    [
      "an or filter that is not the quick find filter",
      () => edit((doc) => one(savedQuery(doc, supervisorView), "filter").setAttribute("type", "or")),
      `${supervisorWhere}/fetchxml/fetch/entity/filter`,
    ],
    [
      "a link-entity without link-type (an inner join)",
      () => edit((doc) => one(savedQuery(doc, supervisorView), "link-entity").removeAttribute("link-type")),
      `${supervisorWhere}/fetchxml/fetch/entity/link-entity ${linkAlias(supervisorView, "case")}`,
    ],
    [
      "a layout column naming an alias no link-entity has",
      () => edit((doc) => one(savedQuery(doc, supervisorView), "link-entity").setAttribute("alias", "a_other")),
      `${supervisorWhere}/layoutxml/grid/row/cell ${linkAlias(supervisorView, "case")}.ticketnumber`,
    ],
    [
      "two views with one id",
      () =>
        edit((doc) => {
          const query = savedQuery(doc, supervisorView);
          parent(query).appendChild(query.cloneNode(true));
        }),
      `savedquery ${supervisorId}`,
    ],
    [
      "a form id that is not a GUID",
      () => edit((doc) => (one(systemForm(doc, caseForm), "formid").textContent = "case-form")),
      "Entity incident/systemform/formid",
    ],
    [
      "a form event handler without functionName",
      () => edit((doc) => one(systemForm(doc, caseForm), "Handler").removeAttribute("functionName")),
      `${caseFormWhere}/event onload/Handler`,
    ],
    [
      "a form event handler whose library is not one of the form's libraries",
      () => edit((doc) => one(systemForm(doc, caseForm), "Handler").setAttribute("libraryName", "cfx_/js/other.js")),
      `${caseFormWhere}/event onload/Handler ${formScript.caseOnLoad}`,
    ],
    [
      "a handler on an event other than onload",
      () => edit((doc) => one(systemForm(doc, caseForm), "event").setAttribute("name", "onsave")),
      `${caseFormWhere}/event onsave/Handler`,
    ],
    [
      "a web resource control without Url",
      () => edit((doc) => remove(one(systemForm(doc, hardwareTicketForm), "Url"))),
      `${ticketFormWhere}/tab general/section fileexchange/control WebResource_cfx_ticketpanel`,
    ],
    [
      "a subgrid without ViewId",
      () => edit((doc) => remove(one(systemForm(doc, fileExchangeForm), "ViewId"))),
      `${exchangeFormWhere}/tab general/section recipients/control Recipients`,
    ],
    [
      "a dashboard list without ViewId",
      () => edit((doc) => remove(one(one(doc, "Dashboard"), "ViewId"))),
      `${dashboardWhere}/control grid_cfx_fileexchange_expiring`,
    ],
    [
      "a dashboard with two lists under the top row",
      () =>
        edit((doc) => {
          const wide = one(one(doc, "Dashboard"), "cell", (c) => c.getAttribute("rowspan") === "16");
          parent(wide).appendChild(wide.cloneNode(true));
        }),
      dashboardWhere,
    ],
    [
      "a dashboard with a web resource below its first row",
      () =>
        edit((doc) => {
          const header = one(one(doc, "Dashboard"), "cell", (c) => c.getAttribute("rowspan") === "4");
          const wide = one(one(doc, "Dashboard"), "cell", (c) => c.getAttribute("rowspan") === "16");
          parent(wide).appendChild(header.cloneNode(true));
        }),
      dashboardWhere,
    ],
    [
      "a JavaScriptFunction without Library",
      () => edit((doc) => one(commandDefinition(doc), "JavaScriptFunction").removeAttribute("Library")),
      `${commandWhere}/Actions/JavaScriptFunction`,
    ],
    [
      "a JavaScriptFunction passed something other than the form context",
      () =>
        edit((doc) => {
          const param = one(commandDefinition(doc), "CrmParameter");
          param.setAttribute("Value", "SelectedControl");
        }),
      `${commandWhere}/Actions/JavaScriptFunction/CrmParameter`,
    ],
    [
      "a command with a Url action",
      () =>
        edit((doc) => {
          const fn = one(commandDefinition(doc), "JavaScriptFunction");
          const url = doc.createElement("Url");
          url.setAttribute("Address", "https://example.com/");
          parent(fn).replaceChild(url, fn);
        }),
      `${commandWhere}/Actions/Url`,
    ],
    [
      "a button whose Command no CommandDefinition defines",
      () => edit((doc) => one(doc, "Button").setAttribute("Command", "cfx.Missing.Command")),
      buttonWhere,
    ],
    [
      "a label naming a LocLabel the RibbonDiffXml does not have",
      () => edit((doc) => remove(one(doc, "LocLabel"))),
      `${buttonWhere} LabelText`,
    ],
    [
      "an enable rule RuleDefinitions does not define",
      () => edit((doc) => remove(enableRuleDefinition(doc))),
      `${commandWhere}/EnableRule ${enableRuleId}`,
    ],
    [
      "a rule the sandbox cannot evaluate",
      () =>
        edit((doc) => {
          const rule = enableRuleDefinition(doc);
          const custom = doc.createElement("CustomRule");
          custom.setAttribute("FunctionName", "cfx.canNotify");
          custom.setAttribute("Library", "$webresource:cfx_/js/forms.js");
          rule.appendChild(custom);
        }),
      `${ribbonWhere}/RuleDefinitions/EnableRule ${enableRuleId}/CustomRule`,
    ],
  ];

  it.each(cases)("%s", (_name, xml, element) => {
    const error = refusal(xml());
    expect(error).toMatchObject({ name: "SolutionImportError", file: "customizations.xml", element });
    expect(error.message).toBe(`customizations.xml: ${element}: ${error.reason}`);
    expect(error.reason).not.toBe("");
  });
});
