import type { FastifyInstance } from "fastify";
import type { SandboxContext } from "../context";

/** The model-driven app shell (placeholder until the form host lands). */
export function registerShell(app: FastifyInstance, ctx: SandboxContext): void {
  app.get("/main.aspx", async (req, reply) => {
    const user = ctx.appUserFromCookie(req.headers.cookie);
    if (!user) return reply.redirect(`/_sandbox/signin?user=agent&returnTo=${encodeURIComponent(req.url)}`, 302);
    return reply.type("text/html; charset=utf-8").send(`<!doctype html><title>Dynamics 365</title><p>${user.fullName}</p>`);
  });
  app.get("/", async (_req, reply) => reply.redirect("/main.aspx?pagetype=entitylist&etn=incident", 302));
}
