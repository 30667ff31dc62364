import type { FastifyInstance, FastifyReply } from "fastify";
import type { WebResourceType } from "../../src/model/webresources";
import { catalog } from "../install/catalog";

const contentTypes: Record<WebResourceType, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

/** The version segment Unified Interface puts in front of web resource URLs (changes on each publish). */
export const webResourceCacheSegment = "%7B000000000000001%7D";

/**
 * Serves the installed web resources — the bytes the imported solution carried — at
 * `/WebResources/<name>` and behind Dynamics' cache segment `/%7B<version>%7D/WebResources/<name>`.
 * Only names a solution registered exist, as in Dynamics: a page that loads an unregistered file
 * (a source map, a stray chunk) fails here as it would there.
 */
export function registerWebResources(app: FastifyInstance): void {
  const serve = (name: string, reply: FastifyReply) => {
    const resource = catalog().webResources.find((w) => w.name === name);
    if (!resource) {
      return reply.code(404).type("text/plain").send(`"${name}" is not a web resource of any installed solution.`);
    }
    return reply.type(contentTypes[resource.type]).header("cache-control", "no-cache").send(Buffer.from(resource.content));
  };

  // Dynamics answers the folder name in any case (Unified Interface itself writes `/webresources/`).
  for (const folder of ["WebResources", "webresources"]) {
    app.get(`/${folder}/*`, async (req, reply) => serve(decodeURIComponent((req.params as { "*": string })["*"]), reply));
    app.get(`/:version/${folder}/*`, async (req, reply) => {
      const { version, "*": name } = req.params as { version: string; "*": string };
      if (!/^\{[^}]+\}$/.test(decodeURIComponent(version))) return reply.code(404).send();
      return serve(decodeURIComponent(name), reply);
    });
  }
}
