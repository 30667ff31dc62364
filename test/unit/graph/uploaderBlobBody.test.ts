import { createGraph } from "../../../src/adapters/graph/createGraph";
import { FRAGMENT_UNIT } from "../../../src/adapters/graph/fragmentSizing";
import { GraphClient } from "../../../src/adapters/graph/GraphClient";
import { fragmentBody, GraphUploader } from "../../../src/adapters/graph/GraphUploader";
import { MemoryStore } from "../../../src/adapters/graph/KeyValueStore";
import type { FetchLike } from "../../../src/adapters/graph/retryPolicy";
import { fakeUploadServer } from "./fakeUploadServer";
import { staticTokens } from "./fakeFetch";

const folder = { driveId: "d", itemId: "folder", path: "R/CAS-1", webUrl: "", createdOn: new Date() };

describe("GraphUploader fragment bodies", () => {
  it("sends a fragment as the file's own slice: the bytes of that range, never copied into memory first", async () => {
    const blob = new Blob([new Uint8Array([1, 2, 3, 250, 9])]);
    const file = { name: "f.bin", size: blob.size, lastModified: 1, slice: jest.fn((a?: number, b?: number) => blob.slice(a, b)) };
    const body = fragmentBody(file, 1, 4);
    expect(body).toBeInstanceOf(Blob);
    expect(file.slice).toHaveBeenCalledWith(1, 4);
    expect(new Uint8Array(await body.arrayBuffer())).toEqual(new Uint8Array([2, 3, 250]));
  });

  it("sends every fragment of an upload session as a Blob body", async () => {
    const server = fakeUploadServer();
    const bodies: unknown[] = [];
    const spy: FetchLike = (url, init) => {
      if (init.method === "PUT") bodies.push(init.body);
      return server.fetch(url, init);
    };
    const noWait = async () => undefined;
    const graph = new GraphClient(
      createGraph({
        graphEndpoint: "https://graph.example.test",
        tokens: staticTokens,
        scopes: ["x"],
        fetch: server.fetch,
        retry: { sleep: noWait },
      }),
    );
    const uploader = new GraphUploader({
      graph,
      fetch: spy,
      store: new MemoryStore(),
      sizing: { min: FRAGMENT_UNIT, max: FRAGMENT_UNIT, targetSeconds: 1 },
      singlePutLimit: 1024,
      sleep: noWait,
    });
    const blob = new Blob([new Uint8Array(2 * FRAGMENT_UNIT + 10).fill(7)]);
    const file = { name: "big.bin", size: blob.size, lastModified: 1, slice: (a?: number, b?: number) => blob.slice(a, b) };
    await expect(uploader.upload(folder, file)).resolves.toMatchObject({ size: blob.size });
    expect(bodies).toHaveLength(3);
    for (const body of bodies) expect(body).toBeInstanceOf(Blob);
  });
});
