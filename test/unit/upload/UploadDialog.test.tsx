/** @jest-environment jsdom */
import "@testing-library/jest-dom";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { prepareFolder } from "../../../src/app/prepareFolder";
import type { FileProgress, UploadSnapshot } from "../../../src/app/uploadBackup";
import { FileIntegrity } from "../../../src/model";
import { PanelRoot } from "../../../src/ui/common/PanelRoot";
import { UploadDialog, type UploadDialogProps } from "../../../src/ui/upload/UploadDialog";
import { UploadDialogApp } from "../../../src/ui/upload/UploadDialogApp";
import { durationText } from "../../../src/ui/upload/duration";
import { FakeCrm, FakeLibrary, FakeUploader, fixedClock, ports, specialist, ticket } from "../ticket/fakes";

const MB = 1024 * 1024;

function file(relativePath: string, state: FileProgress["state"], size = 100 * MB, bytesSent = 0): FileProgress {
  return {
    relativePath,
    size,
    state,
    bytesSent,
    bytesPerSecond: state.kind === "uploading" ? 20 * MB : 0,
    secondsLeft: state.kind === "uploading" ? 150 : null,
  };
}

function snapshot(files: FileProgress[], running: boolean): UploadSnapshot {
  const counted = files.filter((f) => f.state.kind !== "rejected");
  return {
    files,
    running,
    overall: {
      bytesSent: counted.reduce((n, f) => n + f.bytesSent, 0),
      totalBytes: counted.reduce((n, f) => n + f.size, 0),
      bytesPerSecond: running ? 20 * MB : 0,
      secondsLeft: running ? 150 : null,
    },
  };
}

function show(overrides: Partial<UploadDialogProps> = {}) {
  const props: UploadDialogProps = {
    folderPath: "Customer Data Migration/CAS-01234-A1B2C3",
    snapshot: null,
    conflict: null,
    onFiles: jest.fn(),
    onPause: jest.fn(),
    onResume: jest.fn(),
    onCancel: jest.fn(),
    onClose: jest.fn(),
    onConflict: jest.fn(),
    ...overrides,
  };
  render(
    <PanelRoot locale="en-GB">
      <UploadDialog {...props} />
    </PanelRoot>,
  );
  return props;
}

const buttons = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("UploadDialog", () => {
  it("starts with a drop zone and pickers for files and whole folders", () => {
    const props = show();
    expect(screen.getByText("Drop files or folders here")).toBeInTheDocument();
    expect(buttons()).toEqual(["Choose files", "Choose a folder", "Close"]);
    expect(screen.getByTestId("pick-folder")).toHaveAttribute("webkitdirectory");
    const picked = new File(["abc"], "a.bin", { lastModified: 5 });
    fireEvent.change(screen.getByTestId("pick-files"), { target: { files: [picked] } });
    expect(props.onFiles).toHaveBeenCalledWith([{ file: picked, relativePath: "a.bin", size: 3, lastModified: 5 }]);
  });

  it("shows one bar per file and one overall, with bytes, rate and time left, and offers Pause while running", () => {
    const props = show({
      snapshot: snapshot(
        [file("backup/disk.img", { kind: "uploading" }, 200 * MB, 50 * MB), file("backup/b.txt", { kind: "queued" }, 1 * MB)],
        true,
      ),
    });
    expect(screen.getAllByRole("progressbar")).toHaveLength(3);
    expect(screen.getByText("50 MB of 200 MB · 20 MB/s · about 3 min left")).toBeInTheDocument();
    expect(buttons()).toEqual(["Pause", "Cancel upload", "Close"]);
    fireEvent.click(screen.getByRole("button", { name: "Pause" }));
    expect(props.onPause).toHaveBeenCalled();
  });

  it("offers Resume and Cancel while paused", () => {
    const props = show({ snapshot: snapshot([file("a.img", { kind: "paused" }, 100 * MB, 30 * MB)], false) });
    expect(screen.getByTestId("file-state")).toHaveTextContent("Paused");
    expect(buttons()).toEqual(["Resume", "Cancel upload", "Close"]);
    fireEvent.click(screen.getByRole("button", { name: "Resume" }));
    expect(props.onResume).toHaveBeenCalled();
  });

  it("shows each stored file verified with its quickXorHash, and an Office file as modified by SharePoint", async () => {
    show({
      snapshot: snapshot(
        [
          file(
            "a.img",
            { kind: "done", integrity: FileIntegrity.verified, quickXorHash: "AAAAhash=", resumedFrom: 30 * MB },
            100 * MB,
            100 * MB,
          ),
          file(
            "report.docx",
            { kind: "done", integrity: FileIntegrity.modifiedBySharePoint, quickXorHash: "BBBB=", resumedFrom: 0 },
            1 * MB,
            1 * MB,
          ),
        ],
        false,
      ),
    });
    const states = screen.getAllByTestId("file-state").map((e) => e.textContent);
    expect(states).toEqual(["Verified", "Stored, modified by SharePoint"]);
    expect(screen.getByText("AAAAhash=")).toBeInTheDocument();
    expect(screen.getByText(/continued from 30 MB/)).toBeInTheDocument();
    expect(await screen.findByText("All files are uploaded and verified.")).toBeInTheDocument();
  });

  it("lists refused files apart, with the reason, and counts no bytes for them", () => {
    show({
      snapshot: snapshot(
        [
          file("bad:name.txt", { kind: "rejected", reason: 'The file name "bad:name.txt" contains ":".' }, 10),
          file("ok.txt", { kind: "done", integrity: FileIntegrity.verified, quickXorHash: "h", resumedFrom: 0 }, 10, 10),
        ],
        false,
      ),
    });
    const refused = screen.getByRole("region", { name: "Not uploaded" });
    expect(within(refused).getByText(/Refused: The file name "bad:name.txt" contains ":"/)).toBeInTheDocument();
  });

  it("shows a failed file with its reason in plain words and the way to try again", async () => {
    const dropped = {
      name: "GraphError",
      code: "networkError",
      status: 0,
      message: "The connection to Microsoft Graph or SharePoint failed.",
    };
    show({ snapshot: snapshot([file("a.img", { kind: "failed", reason: dropped.message, error: dropped }, 10, 5)], false) });
    expect(screen.getByText(/Failed: The connection to SharePoint failed/)).toBeInTheDocument();
    expect(await screen.findByText("Some files did not upload. Select Resume to try again.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Resume" })).toBeInTheDocument();
  });

  it("does not offer Resume as the remedy when the file itself can no longer be read", async () => {
    const gone = { name: "GraphError", code: "fileUnreadable", status: 0, message: '"a.img" could not be read any more.' };
    show({ snapshot: snapshot([file("a.img", { kind: "failed", reason: gone.message, error: gone }, 10, 5)], false) });
    expect(screen.getByText(/Failed: The file could not be read any more: it may have been moved, renamed or changed/)).toBeInTheDocument();
    expect(await screen.findByText(/The reason is shown beside each; trying again will not help/)).toBeInTheDocument();
    expect(screen.queryByText(/Select Resume to try again/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();
    // The picker is there to pick it again.
    expect(screen.getByTestId("pick-files")).toBeInTheDocument();
  });

  it("asks before replacing a file already in the folder", async () => {
    const props = show({ snapshot: snapshot([file("a.img", { kind: "conflict" })], true), conflict: "a.img" });
    expect(await screen.findByText("a.img is already in the folder. Replace it with the file you picked?")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Keep the existing file" }));
    expect(props.onConflict).toHaveBeenCalledWith("skip");
  });

  it("says so when the upload was cancelled", async () => {
    show({ snapshot: snapshot([file("a.img", { kind: "cancelled" })], false) });
    expect(await screen.findByText("The upload was cancelled.")).toBeInTheDocument();
  });
});

describe("closing or cancelling while files upload", () => {
  const running = () =>
    snapshot(
      [file("backup.zip", { kind: "uploading" }, 5 * 1024 * MB, 2.1 * 1024 * MB), file("notes.txt", { kind: "queued" }, 1 * MB)],
      true,
    );

  it("asks before closing, naming what is not finished, and closes only when confirmed", async () => {
    const props = show({ snapshot: running() });
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Stop the upload and close?")).toBeInTheDocument();
    expect(
      within(dialog).getByText(/Not finished yet: backup\.zip \(2\.1 GB of 5 GB\), notes\.txt \(0 bytes of 1 MB\)\./),
    ).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep uploading" }));
    expect(props.onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    fireEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Stop and close" }));
    expect(props.onClose).toHaveBeenCalledTimes(1);
    expect(props.onCancel).not.toHaveBeenCalled();
  });

  it("asks before cancelling a running upload; a stopped one cancels at once", async () => {
    const props = show({ snapshot: running() });
    fireEvent.click(screen.getByRole("button", { name: "Cancel upload" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Cancel the upload?")).toBeInTheDocument();
    expect(props.onCancel).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel upload" }));
    expect(props.onCancel).toHaveBeenCalledTimes(1);
  });

  it("closes without asking when nothing runs", () => {
    const props = show({ snapshot: snapshot([file("backup.zip", { kind: "paused" }, 10 * MB, 2 * MB)], false) });
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(props.onClose).toHaveBeenCalledTimes(1);
  });
});

describe("UploadDialogApp", () => {
  it("stops a running upload before it closes, keeping it to resume, and tells the host when running changes", async () => {
    const crm = new FakeCrm();
    const library = new FakeLibrary();
    const { exchange } = await prepareFolder(ports(crm, library), ticket, specialist);
    const folder = (await library.findFolder(exchange.folderPath))!;
    const uploader = new FakeUploader(library);
    uploader.fragment = 10;
    const onClose = jest.fn();
    const runningChanges: boolean[] = [];
    render(
      <PanelRoot locale="en-GB">
        <UploadDialogApp
          ports={{ crm, tickets: crm, library, uploader, clock: fixedClock() }}
          exchange={exchange}
          folder={folder}
          user={specialist}
          onClose={onClose}
          onRunningChange={(r) => runningChanges.push(r)}
        />
      </PanelRoot>,
    );
    fireEvent.change(screen.getByTestId("pick-files"), { target: { files: [new File(["x".repeat(100_000)], "backup.zip")] } });
    await waitFor(() => expect(runningChanges).toContain(true));
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    fireEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Stop and close" }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(runningChanges[runningChanges.length - 1]).toBe(false);
    // Stopped, not cancelled: the session is kept and reported as unfinished.
    expect(uploader.discarded).toEqual([]);
    const [left] = await uploader.unfinished();
    expect(left).toMatchObject({ name: "backup.zip", size: 100_000 });
    expect(left.bytesDone).toBeGreaterThan(0);
    expect(left.bytesDone).toBeLessThan(100_000);
    expect(crm.receipts).toEqual([]);
  });

  it("uploads picked files and shows them verified", async () => {
    const crm = new FakeCrm();
    const library = new FakeLibrary();
    const { exchange } = await prepareFolder(ports(crm, library), ticket, specialist);
    const folder = (await library.findFolder(exchange.folderPath))!;
    render(
      <PanelRoot locale="en-GB">
        <UploadDialogApp
          ports={{ crm, tickets: crm, library, uploader: new FakeUploader(library), clock: fixedClock() }}
          exchange={exchange}
          folder={folder}
          user={specialist}
          onClose={jest.fn()}
        />
      </PanelRoot>,
    );
    fireEvent.change(screen.getByTestId("pick-files"), {
      target: { files: [new File(["x".repeat(250)], "a.bin"), new File([], "empty.txt")] },
    });
    await waitFor(() => expect(screen.getAllByTestId("file-state").map((e) => e.textContent)).toEqual(["Verified", "Verified"]));
    expect(crm.receipts).toHaveLength(2);
    expect(crm.exchanges[0]).toMatchObject({ fileCount: 2, totalBytes: 250 });
  });
});

describe("durationText", () => {
  it.each([
    [0.4, "1 s"],
    [42, "42 s"],
    [150, "3 min"],
    [7500, "2 h 5 min"],
  ])("reads %d seconds as %s", (seconds, text) => {
    expect(durationText(seconds)).toBe(text);
  });
});
