import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "../context";
import { clearMail, listMail } from "./sink";
import { renderInbox } from "./inboxPage";

/** `/mail` (a readable inbox) and `GET /_sandbox/mail` (JSON, per the sandbox contract) on the app origin. */
export async function registerMail(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  ctx.onReset(() => clearMail(ctx.db));
  app.get("/_sandbox/mail", async (_request, reply) => reply.header("cache-control", "no-store").send(listMail(ctx.db)));
  app.get("/mail", async (request, reply) => {
    const q = request.query as { to?: string };
    const all = listMail(ctx.db).reverse();
    const shown = q.to ? all.filter((m) => m.to.some((t) => t.toLowerCase() === q.to!.toLowerCase())) : all;
    return reply.header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store").send(renderInbox(shown, q.to));
  });
}
