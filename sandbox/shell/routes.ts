import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SandboxContext } from "../context";
import { isDataverseError } from "../dataverse/errors";
import { entityByName } from "../dataverse/metadata";
import type { SandboxUser } from "../seed/people";
import { shellClientScript } from "./clientScript";
import { renderForm, shellContext } from "./formPage";
import { esc, jsonScript, listUrl } from "./html";
import { accountPicker, page } from "./layout";
import { renderList } from "./listPage";
import { runDueRollupJobs } from "../dataverse/rollups";
import { ShellData } from "./records";
import { webResourceCacheSegment } from "./webResources";
import { renderDashboard } from "./dashboardPage";
import { catalog } from "../install/catalog";
import type { ImportJob } from "../install/importSolution";
import { renderSolutions } from "./solutionsPage";
import { renderChat } from "./chatPage";
import { chatsOf } from "../graph/chats";

const guid = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** The model-driven app shell: `/main.aspx` lists, forms and web resource pages, as Unified Interface's URLs. */
export function registerShell(app: FastifyInstance, ctx: SandboxContext, importJobs: () => readonly ImportJob[] = () => []): void {
  const data = new ShellData(ctx);
  const css = readFileSync(join(__dirname, "assets/shell.css"), "utf8");

  app.get("/_shell/shell.css", async (_req, reply) => reply.type("text/css; charset=utf-8").header("cache-control", "no-cache").send(css));
  app.get("/_shell/chrome.js", async (_req, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(shellClientScript()),
  );

  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());
  app.get("/", async (_req, reply) => reply.redirect("/main.aspx", 302));

  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type("text/html; charset=utf-8").send(body);

  const notFound = (reply: FastifyReply, user: SandboxUser, url: string, message: string) =>
    html(
      reply,
      page({
        title: "Record not available",
        user,
        commandBar: "",
        body: `<div class="error-page"><h1>Record is unavailable</h1><p>${esc(message)}</p><p><a href="/main.aspx">Go to the case list</a></p></div>`,
        currentUrl: url,
      }),
      404,
    );

  // Teams' stand-in: the signed-in person's chats as Graph's /chats holds them.
  app.get("/chat", async (req, reply) => {
    const user = ctx.appUserFromCookie(req.headers.cookie);
    if (!user) return html(reply, accountPicker(req.url));
    const q = req.query as Record<string, string | undefined>;
    return html(reply, renderChat(user, chatsOf(ctx.db, user.entraId), q.id, req.url));
  });

  app.get("/main.aspx", async (req, reply) => {
    const user = ctx.appUserFromCookie(req.headers.cookie);
    if (!user) return html(reply, accountPicker(req.url));
    try {
      return await mainPage(req, reply, user);
    } catch (e) {
      if (!isDataverseError(e) || e.status !== 403) throw e;
      // A list or dashboard of a table the user may not read: Unified Interface's permission error, with Dataverse's details.
      return html(
        reply,
        page({
          title: "Insufficient permissions",
          user,
          commandBar: "",
          body: `<div class="error-page"><h1>Insufficient permissions</h1><p>You do not have permission to access these records. Contact your Microsoft Dynamics 365 administrator for help.</p><p><small>${esc(e.message)}</small></p><p><a href="/main.aspx">Go to the case list</a></p></div>`,
          currentUrl: req.url,
        }),
        403,
      );
    }
  });

  async function mainPage(req: FastifyRequest, reply: FastifyReply, user: SandboxUser): Promise<FastifyReply> {
    const q = req.query as Record<string, string | undefined>;
    const pagetype = (q.pagetype ?? "").toLowerCase();
    const tail = jsonScript("cfx-shell-context", shellContext(user, ctx.origins));
    // Time passes in the organization: the rollup jobs due by now have run before a page shows figures.
    runDueRollupJobs(ctx.db, data.rows, ctx.clock.now());
    if (pagetype === "dashboard") return html(reply, renderDashboard(data, user, q.id, req.url, tail));
    if (pagetype === "solutions") {
      return html(reply, renderSolutions(user, catalog().solutions, importJobs(), req.url).replace("</body>", `${tail}\n</body>`));
    }
    if (pagetype === "entitylist") {
      if (!q.etn || !entityByName(q.etn)) return notFound(reply, user, req.url, `There is no table "${q.etn ?? ""}" in this app.`);
      return html(
        reply,
        renderList(data, user, q.etn, q.viewid, req.url, { column: q.sort, descending: q.desc === "1" }).replace(
          "</body>",
          `${tail}\n</body>`,
        ),
      );
    }
    if (pagetype === "entityrecord") {
      const id = guid.exec(q.id ?? "")?.[1]?.toLowerCase();
      if (!q.etn || !entityByName(q.etn)) return notFound(reply, user, req.url, `There is no table "${q.etn ?? ""}" in this app.`);
      if (!id)
        return notFound(reply, user, req.url, "Creating records from the shell is not part of the sandbox: the product creates its own.");
      const record = data.record(user, q.etn, id);
      if (!record) return notFound(reply, user, req.url, "The record was deleted, or you do not have permission to view it.");
      return html(reply, renderForm(data, user, q.etn, id, record, ctx.origins, req.url));
    }
    if (pagetype === "webresource" && q.webresourceName) {
      const src = `/${webResourceCacheSegment}/WebResources/${q.webresourceName}${q.data !== undefined ? `?data=${encodeURIComponent(q.data)}` : ""}`;
      return html(
        reply,
        page({
          title: q.webresourceName,
          user,
          commandBar: "",
          body: `<iframe class="wr-page" src="${esc(src)}" title="${esc(q.webresourceName)}"></iframe>`,
          tail,
          currentUrl: req.url,
        }),
      );
    }
    return reply.redirect(listUrl("incident"), 302);
  }
}
