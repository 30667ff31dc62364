/**
 * Loads Microsoft Graph (MSAL, pnpjs and our Graph adapters: src/entries/graphServices.ts) on
 * demand, as ONE named chunk (cfx_/js/graph.js) that every panel shares, so that it is cached
 * across panels and stays out of the vendor chunk the first paint waits for. Each panel entry
 * calls `preloadGraph()` at startup, so the download runs beside the first Dataverse reads.
 */
import type { DocumentLibrary } from "../ports/DocumentLibrary";
import type { TeamsChat } from "../ports/TeamsChat";
import type { Uploader } from "../ports/Uploader";
import type { GraphServices } from "./graphServices";

export type GraphModule = typeof import("./graphServices");

let loading: Promise<GraphModule> | undefined;

/** The graph chunk's module; downloads it once. A failed download is tried again on the next call. */
export function loadGraph(): Promise<GraphModule> {
  loading ??= import(/* webpackChunkName: "graph" */ "./graphServices").catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Starts the download now; a failure surfaces on the first real use (loadGraph again). */
export function preloadGraph(): void {
  void loadGraph().catch(() => undefined);
}

/** A DocumentLibrary usable before the graph chunk has arrived: each call waits for it. */
export function lazyLibrary(services: () => Promise<GraphServices>): DocumentLibrary {
  const lib = async () => (await services()).library;
  return {
    ensureFolder: async (path) => (await lib()).ensureFolder(path),
    findFolder: async (path) => (await lib()).findFolder(path),
    listFolders: async (path) => (await lib()).listFolders(path),
    listFiles: async (folder) => (await lib()).listFiles(folder),
    snapshot: async (paths) => (await lib()).snapshot(paths),
    invite: async (folder, request) => (await lib()).invite(folder, request),
    listPermissions: async (folder) => (await lib()).listPermissions(folder),
    removePermission: async (folder, permissionId) => (await lib()).removePermission(folder, permissionId),
    deleteFolder: async (folder, options) => (await lib()).deleteFolder(folder, options),
    downloadAddress: async (file) => (await lib()).downloadAddress(file),
    deleteFile: async (file, options) => (await lib()).deleteFile(file, options),
  };
}

/** An Uploader usable before the graph chunk has arrived: each call waits for it. */
export function lazyUploader(services: () => Promise<GraphServices>): Uploader {
  const up = async () => (await services()).uploader;
  return {
    upload: async (folder, file, options) => (await up()).upload(folder, file, options),
    pending: async (folder, file) => (await up()).pending(folder, file),
    cancel: async (folder, file) => (await up()).cancel(folder, file),
    unfinished: async (folder) => (await up()).unfinished(folder),
  };
}

/** A TeamsChat usable before the graph chunk has arrived: each call waits for it. */
export function lazyTeams(services: () => Promise<GraphServices>): TeamsChat {
  return {
    messageUser: async (entraObjectId, message) => {
      const teams = (await services()).teams;
      if (!teams) throw new Error("Teams chat is off: the Teams follow-up setting is No.");
      return teams.messageUser(entraObjectId, message);
    },
  };
}
