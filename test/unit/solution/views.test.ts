import { tableByName } from "../../../src/model";
import { dashboardDefs } from "../../../src/model/dashboards";
import { viewByKey, viewDefs } from "../../../src/model/views";
import { savedQuery } from "../../../solution/savedQueryXml";
import { render } from "../../../solution/xml";

/**
 * A Dataverse grid opens a row from its primary name cell (the layout's `jump` column; Microsoft's
 * `getPrimaryAttributeValue`: "The value for this column is used when links to the record are
 * displayed"). A view without that column leaves the user nothing to click but a linked table's
 * cell, which opens the other table's record.
 */
describe("the views the solution ships", () => {
  it.each(viewDefs.map((v) => [v.key, v] as const))("%s shows its table's primary name column first", (_key, view) => {
    const primary = tableByName(view.table).primaryNameColumn;
    expect(view.columns[0]).toEqual(expect.objectContaining({ column: primary }));
    expect(view.columns[0].link).toBeUndefined();
  });

  it.each(viewDefs.map((v) => [v.key, v] as const))("%s writes the primary name as the grid's first cell and its jump", (_key, view) => {
    const primary = tableByName(view.table).primaryNameColumn;
    const xml = render(savedQuery(view));
    expect(xml).toContain(`jump="${primary}"`);
    expect(xml).toMatch(new RegExp(`<row [^>]*>\\s*<cell name="${primary}"`));
  });

  it("puts a list on every dashboard whose first column opens the exchange", () => {
    for (const d of dashboardDefs) {
      for (const list of [...d.top, d.wide]) {
        const view = viewByKey(list.view);
        expect(view.columns[0].column).toBe(tableByName(view.table).primaryNameColumn);
      }
    }
  });
});
