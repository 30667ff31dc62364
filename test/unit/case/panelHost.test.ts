/** @jest-environment jsdom */
import { readPanelParams, startPanelHost, type PanelContext } from "../../../src/entries/panelHost";
import type { PanelWindow } from "../../../src/entries/panelBridge";

const fakeXrm = {} as Xrm.XrmStatic;
const form = (id: string) => ({ data: { entity: { getId: () => id } } }) as unknown as Xrm.FormContext;

describe("panelHost", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("reads the parameters Dynamics passes to a web resource", () => {
    expect(
      readPanelParams("?typename=incident&id=%7BEE8D648A-8DCC-53E7-8DCC-02DAB2A334A8%7D&orgname=contoso&userlcid=1031&data=x%3D1"),
    ).toEqual({
      typename: "incident",
      id: "ee8d648a-8dcc-53e7-8dcc-02dab2a334a8",
      orgname: "contoso",
      userlcid: 1031,
      data: "x=1",
    });
    expect(readPanelParams("?id=&userlcid=abc")).toEqual({
      typename: undefined,
      id: undefined,
      data: undefined,
      orgname: undefined,
      userlcid: undefined,
    });
  });

  it("hands over on every call of setClientApiContext, with the form's record id", () => {
    const seen: PanelContext[] = [];
    const stop = startPanelHost((c) => seen.push(c));
    const w = window as PanelWindow;
    w.setClientApiContext!(fakeXrm, form("{AAAA0000-0000-4000-8000-000000000001}"));
    w.setClientApiContext!(fakeXrm, form("{AAAA0000-0000-4000-8000-000000000001}"));
    jest.advanceTimersByTime(2000);
    expect(seen.map((c) => [c.source, c.sequence, c.recordId])).toEqual([
      ["handshake", 1, "aaaa0000-0000-4000-8000-000000000001"],
      ["handshake", 2, "aaaa0000-0000-4000-8000-000000000001"],
    ]);
    stop();
    expect(w.setClientApiContext).toBeUndefined();
  });

  it("says the page is outside a form when neither a hand-over nor parent.Xrm comes", () => {
    const unavailable = jest.fn();
    const seen: PanelContext[] = [];
    const stop = startPanelHost((c) => seen.push(c), { fallbackMs: 500, onUnavailable: unavailable });
    jest.advanceTimersByTime(600);
    expect(seen).toEqual([]);
    expect(unavailable).toHaveBeenCalledTimes(1);
    stop();
  });

  it("turns off Fluent's CDN fonts before Fluent loads", () => {
    expect((window as unknown as { FabricConfig?: { fontBaseUrl?: string } }).FabricConfig?.fontBaseUrl).toBe("");
  });
});
