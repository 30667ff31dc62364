import { roleDefs } from "../../../src/model";
import { componentId, uuidv5 } from "../../../solution/ids";

describe("component ids", () => {
  it("reproduces the fixed role ids of the data model, so the packer and the panels agree", () => {
    for (const role of roleDefs) expect(uuidv5(`cfx/role/${role.key}`)).toBe(role.id);
  });

  it("gives the same id for the same name on every build", () => {
    expect(componentId("form", "cfx_hardwareticket/main")).toBe(componentId("form", "cfx_hardwareticket/main"));
  });

  it("gives different ids to different components and writes them in braces, lower case", () => {
    const a = componentId("form", "a");
    const b = componentId("view", "a");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\}$/);
  });
});
