import { useCallback, useEffect, useRef, useState } from "react";
import { loadTicketPanel, type TicketPanelModel } from "../../app/loadTicketPanel";
import { notifySupport, type NotifySupportResult } from "../../app/notifySupport";
import { sendTeamsFollowUpAgain, type TeamsFollowUpResult } from "../../app/teamsFollowUp";
import { prepareFolder, type PrepareFolderResult } from "../../app/prepareFolder";
import { loadTicketFiles, withTicketFiles } from "../../app/ticketFiles";
import type { TicketPorts, TicketRef } from "../../app/ticketPorts";
import type { Exchange } from "../../domain";
import { ExchangeStage } from "../../model";
import type { CurrentUser } from "../../ports/CrmGateway";
import type { Uploader } from "../../ports/Uploader";
import { fill } from "../common/strings";
import { ticketStrings as s } from "./strings";
import { TicketPanel, type TicketAction, type TicketFilesState, type TicketNotice, type TicketPanelState } from "./TicketPanel";

export interface TicketPanelAppProps {
  readonly ports: TicketPorts;
  readonly ticket: TicketRef;
  readonly user: CurrentUser;
  /** The org's URL (getClientUrl), for the case link in the e-mail. */
  readonly appUrl: string;
  /** Opens the upload dialog for the exchange; resolves when it closes. */
  readonly openUpload: (exchange: Exchange) => Promise<void>;
  /** Uploads started in this browser and not finished, shown with a Resume. */
  readonly uploads?: Pick<Uploader, "unfinished">;
  /** Interactive sign-in (a popup from the click), tried before Try again when Microsoft 365 wants it. */
  readonly signIn?: () => Promise<void>;
  /** Hands the host a way to refresh in place (the form hands over again after a save or a tab change). */
  readonly registerReload?: (reload: () => void) => void;
  /** After an action ended (it may have written notes): the host redraws the form's timeline. */
  readonly onActionEnded?: () => void;
  /** Hands the panel's Notify Support to the command bar (`cfxPanelCommands`). */
  readonly registerNotify?: (notify: () => Promise<void>) => void;
  /** Interactive sign-in for Teams chat messages (a popup from the click, with the consent Teams needs). */
  readonly signInTeams?: () => Promise<void>;
}

function prepareNotices(r: PrepareFolderResult): TicketNotice[] {
  const text = fill(r.exchangeCreated && !r.folderCreated ? s.done.folderAdopted : s.done.folderCreated, { path: r.exchange.folderPath });
  const out: TicketNotice[] = [{ tone: "success", text }];
  if (r.notesRefused.includes("incident")) out.push({ tone: "warning", text: s.done.notesRefused });
  return out;
}

/** What the panel says about the Teams follow-up; `signIn` is offered when a sign-in would let it go. */
function teamsNotices(t: TeamsFollowUpResult, signIn?: () => void): TicketNotice[] {
  const agent = t.to || "the case's owner";
  if (t.status === "sent") return [{ tone: "success", text: fill(s.teams.sent, { agent }) }];
  // Teams' and the sign-in's own sentences end with their full stop; the templates add the rest.
  const reason = (t.detail ?? "").trim().replace(/([^.!?…])$/, "$1.");
  if (t.status === "unknown") return [{ tone: "warning", text: fill(s.teams.unknown, { agent, reason: reason.replace(/[.!?…]+$/, "") }) }];
  switch (t.reason) {
    case "teamOwned":
      return [{ tone: "info", text: s.teams.teamOwned }];
    case "ownCase":
      return [{ tone: "info", text: s.teams.ownCase }];
    case "noEntraAccount":
      return [{ tone: "warning", text: fill(s.teams.noEntraAccount, { agent }) }];
    case "signInNeeded":
      return [
        {
          tone: "warning",
          text: fill(s.teams.signInNeeded, { agent }),
          action: signIn ? { label: s.teams.signIn, run: signIn } : undefined,
        },
      ];
    case "refused":
      return [{ tone: "warning", text: fill(s.teams.refused, { agent, reason }) }];
    case "failed":
      return [{ tone: "warning", text: fill(s.teams.failed, { agent, reason }) }];
  }
}

function notifyNotices(r: NotifySupportResult, teamsSignIn?: () => void): TicketNotice[] {
  const audience = r.audience;
  const team = audience?.owner.kind === "team" ? (audience.owner.name ?? r.agentName ?? "") : undefined;
  if (r.outcome === "nobodyNotified") return [{ tone: "warning", text: fill(s.done.nobodyNotified, { team: team ?? "" }) }];
  const agent = team !== undefined ? "the team's members" : (r.agentName ?? "the case's owner");
  const out: TicketNotice[] = [];
  if (r.outcome === "alreadyNotified") out.push({ tone: "success", text: s.done.alreadyNotified });
  else if (audience && team !== undefined) {
    const n = audience.people.length;
    const text = n === 1 ? s.done.notifiedTeam.one : s.done.notifiedTeam.other;
    out.push({ tone: "success", text: fill(text, { team, n: String(n), names: audience.people.map((p) => p.name).join(", ") }) });
    if (audience.capped) out.push({ tone: "warning", text: fill(s.done.teamCapped, { team, cap: String(audience.cap), n: String(n) }) });
  } else out.push({ tone: "success", text: fill(s.done.notified, { agent }) });
  if (r.email === "pending") out.push({ tone: "warning", text: fill(s.done.emailPending, { agent }) });
  if (r.teams) out.push(...teamsNotices(r.teams, teamsSignIn));
  return out;
}

/** The ticket panel wired to the use cases: loads, runs the three actions, shows what happened. */
export function TicketPanelApp({
  ports,
  ticket,
  user,
  appUrl,
  openUpload,
  uploads,
  signIn,
  registerNotify,
  registerReload,
  onActionEnded,
  signInTeams,
}: TicketPanelAppProps) {
  const [state, setState] = useState<TicketPanelState>({ kind: "loading" });
  const model = useRef<TicketPanelModel | null>(null);
  const notifying = useRef<Promise<void> | null>(null);
  const busy = useRef(false);
  const files = useRef<TicketFilesState | undefined>(undefined);
  const filesRead = useRef(0);

  /** SharePoint's listing of the folder, read after the panel painted from Dataverse; the latest read wins. */
  const readFiles = useCallback(
    async (m: TicketPanelModel) => {
      const read = ++filesRead.current;
      let next: TicketFilesState | undefined;
      let withFiles = m;
      try {
        const listed = await loadTicketFiles(ports, m.exchange);
        next = listed ? { kind: "ready", files: listed } : undefined;
        withFiles = withTicketFiles(m, listed);
      } catch (error) {
        next = { kind: "failed", error };
      }
      if (read !== filesRead.current) return;
      files.current = next;
      model.current = withFiles;
      setState((prev) => (prev.kind === "ready" ? { ...prev, model: withFiles, files: next } : prev));
    },
    [ports],
  );

  const load = useCallback(
    async (keep?: { notices?: readonly TicketNotice[] }) => {
      try {
        const read = await loadTicketPanel(ports, ticket, user, uploads);
        const listable = !!read.exchange && read.exchange.stage !== ExchangeStage.deleted;
        // A refresh keeps the last listing on screen until the new one arrives.
        files.current = listable ? (files.current?.kind === "ready" ? files.current : { kind: "loading" }) : undefined;
        const m = withTicketFiles(read, files.current?.kind === "ready" ? files.current.files : null);
        model.current = m;
        setState({ kind: "ready", model: m, backupRoot: ports.settings.backupRoot, files: files.current, notices: keep?.notices });
        if (listable) void readFiles(read);
      } catch (error) {
        setState(
          model.current
            ? { kind: "ready", model: model.current, backupRoot: ports.settings.backupRoot, files: files.current, error }
            : { kind: "failed", error },
        );
      }
    },
    [ports, ticket, user, uploads, readFiles],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const run = useCallback(
    async (action: TicketAction, work: () => Promise<readonly TicketNotice[]>) => {
      const m = model.current;
      if (!m) return;
      busy.current = true;
      setState({ kind: "ready", model: m, backupRoot: ports.settings.backupRoot, files: files.current, busy: action });
      try {
        const notices = await work();
        await load({ notices });
      } catch (error) {
        setState({ kind: "ready", model: m, backupRoot: ports.settings.backupRoot, files: files.current, error });
      } finally {
        busy.current = false;
        onActionEnded?.();
      }
    },
    [load, ports.settings.backupRoot, onActionEnded],
  );

  /** After a sign-in from the notice's button, the Teams message that needed it; offered again if it still does. */
  const teamsAgain = useCallback(
    (exchangeId: string) => {
      const again = (): void => {
        // The popup opens from this click: no await before it.
        const signedIn = signInTeams ? signInTeams() : Promise.resolve();
        void run("notifySupport", async () => {
          await signedIn;
          return teamsNotices(await sendTeamsFollowUpAgain(ports, { ticket, exchangeId, user, appUrl }), again);
        });
      };
      return again;
    },
    [run, ports, ticket, user, appUrl, signInTeams],
  );

  const notify = useCallback((): Promise<void> => {
    // The command bar and the button share one run: a second click while it runs waits for it.
    if (notifying.current) return notifying.current;
    const exchange = model.current?.exchange;
    if (!exchange) return Promise.resolve();
    notifying.current = run("notifySupport", async () =>
      notifyNotices(await notifySupport(ports, { ticket, exchangeId: exchange.id, user, appUrl }), teamsAgain(exchange.id)),
    ).finally(() => {
      notifying.current = null;
    });
    return notifying.current;
  }, [run, ports, ticket, user, appUrl, teamsAgain]);

  useEffect(() => registerNotify?.(notify), [registerNotify, notify]);
  // A refresh while an action runs would hide its outcome: the action reloads when it ends.
  useEffect(() => registerReload?.(() => void (busy.current || load())), [registerReload, load]);

  const onAction = useCallback(
    (action: TicketAction) => {
      if (action === "prepareFolder") void run(action, async () => prepareNotices(await prepareFolder(ports, ticket, user)));
      else if (action === "notifySupport") void notify();
      else {
        const exchange = model.current?.exchange;
        if (exchange) void run(action, async () => (await openUpload(exchange), []));
      }
    },
    [run, notify, ports, ticket, user, openUpload],
  );

  return (
    <TicketPanel
      state={state}
      onAction={onAction}
      onRetry={() => {
        const error = state.kind === "failed" || state.kind === "ready" ? (state as { error?: unknown }).error : undefined;
        const auth = (error as { name?: string; code?: string } | undefined)?.name === "AuthError";
        // The popup opens from this click: no await before it.
        void (auth && signIn ? signIn().catch(() => undefined) : Promise.resolve()).then(() => load());
      }}
      onDismissError={() =>
        model.current && setState({ kind: "ready", model: model.current, backupRoot: ports.settings.backupRoot, files: files.current })
      }
    />
  );
}
