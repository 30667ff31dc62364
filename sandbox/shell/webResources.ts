import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { webResources } from "../../src/model/webresources";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".gif": "image/gif",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".xml": "text/xml; charset=utf-8",
};

/** The version segment Unified Interface puts in front of web resource URLs (changes on each publish). */
export const webResourceCacheSegment = "%7B000000000000001%7D";

/**
 * Serves the solution's web resources from the build output at `/WebResources/<name>` and behind
 * Dynamics' cache segment `/%7B<version>%7D/WebResources/<name>`. Only names the solution
 * registers exist (src/model/webresources.ts), as in Dynamics: a page that loads an unregistered
 * file (a source map, a stray chunk) fails here as it would there.
 */
export function registerWebResources(app: FastifyInstance, distDir: string): void {
  const known = new Set(webResources.map((w) => w.name));

  const serve = (name: string, reply: FastifyReply) => {
    const file = normalize(join(distDir, name));
    if (!file.startsWith(normalize(distDir)) || !known.has(name)) {
      return reply.code(404).type("text/plain").send(`"${name}" is not a web resource of the solution (src/model/webresources.ts).`);
    }
    if (!existsSync(file)) {
      return reply.code(404).type("text/plain").send(`The web resource "${name}" is not built yet: run npm run build:web.`);
    }
    return reply
      .type(contentTypes[extname(file)] ?? "application/octet-stream")
      .header("cache-control", "no-cache")
      .send(readFileSync(file));
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
