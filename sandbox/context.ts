import type Database from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import type { SandboxUser } from "./seed/people";

/**
 * What every part of the sandbox shares. server.ts (Dataverse, shell, test controls) builds it;
 * identity/, graph/, mail/ and guest/ receive it in their register functions.
 */
export interface Origins {
  /** https://localhost:PORT — shell, web resources, Dataverse, sign-in, mail, test controls. */
  readonly app: string;
  /** https://localhost:PORT+1 — Microsoft Graph (`/v1.0/`). */
  readonly graph: string;
  /** https://127.0.0.1:PORT+2 — the SharePoint host: upload-session and download URLs. */
  readonly sharepoint: string;
}

export interface Faults {
  readonly latencyMs: number;
  /** 0..1: share of API requests answered 429/503 with Retry-After. */
  readonly throttleRate: number;
  /** 0..1: share of requests whose connection is dropped (mid-body for upload fragments). */
  readonly dropRate: number;
  /**
   * 0..1: share of requests that are handled (their writes happen) and then lose their answer:
   * the connection is cut before the status line. Absent means 0 (hosts that predate it).
   */
  readonly lostAnswerRate?: number;
}

/** Tenant switches that make SharePoint refuse invitations, to show the product's messages. */
export interface TenantPolicy {
  readonly externalSharing: boolean;
  readonly blockedDomains: readonly string[];
  /** E-mail from Dataverse leaves only through an approved mailbox; false keeps it pending. */
  readonly mailboxApproved: boolean;
  /** Teams chat for the organization's users; false makes Graph refuse to create chats and send chat messages. */
  readonly teamsChat: boolean;
}

export type Resource = "graph" | "dataverse";

/** Who a verified token speaks for. */
export interface Principal {
  /** A seeded Dynamics user, or an external guest (by e-mail), or an application (the retention job). */
  readonly kind: "user" | "guest" | "app";
  readonly user?: SandboxUser;
  readonly email?: string;
  readonly appId?: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface TokenService {
  /**
   * A token for a seeded person. Graph tokens carry every delegated permission the sandbox's app
   * registration has (as after admin consent) unless `scopes` names the ones to carry in `scp`.
   */
  issue(user: SandboxUser, resource: Resource, scopes?: readonly string[]): Promise<string>;
  /** Rejects (the caller answers 401) when the token is missing, malformed, expired or for another audience. */
  verify(token: string | undefined, resource: Resource): Promise<Principal>;
}

export interface MailMessage {
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly links: readonly string[];
}

export interface MailSink {
  send(message: MailMessage): { id: string; sentAt: string };
}

export interface SandboxClock {
  now(): Date;
  advanceDays(days: number): void;
}

export interface SandboxContext {
  readonly db: Database.Database;
  /** `.sandbox/` (or a test's own folder). */
  readonly dataDir: string;
  readonly blobDir: string;
  readonly origins: Origins;
  readonly clock: SandboxClock;
  faults(): Faults;
  policy(): TenantPolicy;
  readonly tokens: TokenService;
  readonly mail: MailSink;
  /** The Dynamics user signed in to the shell by cookie, if any. */
  appUserFromCookie(cookieHeader: string | undefined): SandboxUser | undefined;
  /** Registers a step of `POST /_sandbox/reset` (drop state, re-seed). Run in registration order. */
  onReset(step: () => void | Promise<void>): void;
}

/** The shape of each part's entry point. */
export type RegisterPart = (app: FastifyInstance, ctx: SandboxContext) => void | Promise<void>;
