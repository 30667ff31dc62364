import { DefaultButton, IconButton, MessageBarButton, PrimaryButton } from "@fluentui/react/lib/Button";
import { Link } from "@fluentui/react/lib/Link";
import { FontIcon } from "@fluentui/react/lib/Icon";
import { MessageBar, MessageBarType } from "@fluentui/react/lib/MessageBar";
import { Spinner, SpinnerSize } from "@fluentui/react/lib/Spinner";
import { lazy, memo, Suspense, useId, useState } from "react";
import type { AccessRow, ExchangeView, FileRow, GoneFiles } from "../../app/casePanelView";
import type { FileAction } from "../../domain/fileActions";
import type { Busy } from "../../app/casePanelSession";
import { ExchangeDirection, ExchangeStage } from "../../model";
import { formatBytes, formatDate, formatLongDate, formatNumber, type LocaleInfo } from "../common/format";
import { MalwareWarning } from "../common/MalwareWarning";
import { useLocaleInfo } from "../common/PanelRoot";
import { commonStrings, fill, plural } from "../common/strings";
import { toneColors } from "../common/theme";
import { caseStrings as s } from "./strings";
import { badgeStyle, classes } from "./styles";

export interface ExchangeCardProps {
  readonly view: ExchangeView;
  readonly busy?: Busy;
  readonly onShare: (exchangeId: string) => void;
  readonly onCopyLink: (exchangeId: string) => void;
  readonly onRevoke: (exchangeId: string, access: AccessRow) => void;
  readonly onRemove: (exchangeId: string) => void;
  /** The administrator's expiry actions; without it they are not offered. */
  readonly onExpiry?: (exchangeId: string, mode: "keep" | "date") => void;
  /** A file's menu entry was chosen; without it the files have no menu. */
  readonly onFileAction?: (exchangeId: string, file: FileRow, action: FileAction) => void;
}

function statusText(view: ExchangeView): string {
  if (view.status.kind === "beingPrepared" && view.ticketName)
    return fill(s.status.beingPreparedBy, { name: view.preparedBy ?? s.status.beingPrepared, ticket: view.ticketName });
  return s.status[view.status.kind];
}

function ExpiryLine({ view, info }: { view: ExchangeView; info: LocaleInfo }) {
  const x = view.exchange;
  if (x.stage === ExchangeStage.deleted)
    return (
      <span className={classes.metaItem}>
        {x.deletedOn ? fill(s.deletedOn, { date: formatLongDate(x.deletedOn, info) }) : s.status.deleted}
      </span>
    );
  if (x.expiresOn === null)
    return (
      <span className={classes.metaItem}>
        <FontIcon iconName="Lock" aria-hidden />
        {s.kept}
      </span>
    );
  const tone = view.status.expired ? "danger" : view.status.expiringSoon ? "warning" : "neutral";
  const days = view.status.daysLeft ?? 0;
  return (
    <span className={classes.metaItem} style={{ color: toneColors[tone], fontWeight: tone === "neutral" ? 400 : 600 }} data-tone={tone}>
      <FontIcon iconName="Clock" aria-hidden />
      {view.status.expired
        ? fill(s.expiredOn, { date: formatLongDate(x.expiresOn, info) })
        : `${fill(s.expires, { date: formatLongDate(x.expiresOn, info) })} · ${plural(commonStrings.daysLeft, days, formatNumber(days, info))}`}
    </span>
  );
}

const FileMenu = lazy(() => import(/* webpackChunkName: "case-dialogs" */ "./FileMenu").then((m) => ({ default: m.FileMenu })));

function integrityColor(i: FileRow["integrity"]): string {
  if (i === "mismatch") return toneColors.danger;
  if (i === "verified" || i === "recordedBySharePoint") return toneColors.success;
  return toneColors.neutral;
}

function integrityIcon(i: FileRow["integrity"]): string {
  if (i === "verified" || i === "recordedBySharePoint") return "ShieldCheck";
  if (i === "mismatch") return "Warning";
  return "Shield";
}

function GoneLine({ gone, info }: { gone: GoneFiles; info: LocaleInfo }) {
  const parts = (["replaced", "deletedByCustomer", "removed", "expired"] as const)
    .filter((k) => gone[k] > 0)
    .map((k) => plural(s.goneFiles[k], gone[k], formatNumber(gone[k], info)));
  if (parts.length === 0) return null;
  return (
    <p className={classes.small} style={{ margin: "4px 0 0" }} data-gone-files>
      {s.goneFiles.intro} {parts.join(", ")}.
    </p>
  );
}

function FilesTable(props: {
  files: readonly FileRow[];
  gone: GoneFiles;
  info: LocaleInfo;
  caption: string;
  exchangeId: string;
  busy?: Busy;
  onFileAction?: (exchangeId: string, file: FileRow, action: FileAction) => void;
}) {
  const { files, info, onFileAction } = props;
  const [menu, setMenu] = useState<{ key: string; target: HTMLElement } | null>(null);
  if (files.length === 0)
    return (
      <>
        <p className={classes.empty}>{s.noFiles}</p>
        <GoneLine gone={props.gone} info={info} />
      </>
    );
  const withMenu = !!onFileAction && files.some((f) => f.actions.length > 0);
  const open = menu ? files.find((f) => f.key === menu.key) : undefined;
  return (
    <>
      <table className={classes.table}>
        <caption className={classes.visuallyHidden}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{s.fileName}</th>
            <th scope="col" className={classes.num}>
              {s.fileSize}
            </th>
            <th scope="col">{s.uploadedBy}</th>
            <th scope="col">{s.uploadedOn}</th>
            <th scope="col">{s.integrity}</th>
            {withMenu ? (
              <th scope="col" style={{ width: 32 }}>
                <span className={classes.visuallyHidden}>{s.fileActions}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const running = props.busy?.fileKey === f.key && props.busy.exchangeId === props.exchangeId;
            return (
              <tr key={f.key} data-malware={f.malware ? "true" : undefined} data-file={f.path} data-new={f.isNew ? "true" : undefined}>
                <td>
                  <span className={classes.fileName}>
                    <FontIcon
                      iconName={f.malware ? "Warning" : "Page"}
                      aria-hidden
                      style={{ color: f.malware ? toneColors.danger : "#605e5c" }}
                    />
                    {f.path}
                    {f.isNew ? (
                      <span style={badgeStyle("info")} title={s.newBatchHint}>
                        {s.newBatch}
                      </span>
                    ) : null}
                  </span>
                  {f.kept ? (
                    <div className={classes.small} data-file-expiry="kept">
                      <FontIcon iconName="Lock" aria-hidden /> {s.fileKept}
                    </div>
                  ) : f.ownExpiry ? (
                    <div className={classes.small} data-file-expiry="date">
                      <FontIcon iconName="Clock" aria-hidden /> {fill(s.fileOwnExpiry, { date: formatLongDate(f.ownExpiry, info) })}
                    </div>
                  ) : null}
                </td>
                <td className={classes.num}>{formatBytes(f.size, info)}</td>
                <td style={{ wordBreak: "break-all" }}>{f.uploadedBy ?? "—"}</td>
                <td className={classes.nowrap}>{f.uploadedOn ? formatDate(f.uploadedOn, info) : "—"}</td>
                {f.malware ? (
                  <td>
                    <MalwareWarning description={f.malware.description} />
                  </td>
                ) : (
                  <td className={classes.nowrap}>
                    <span
                      style={{ color: integrityColor(f.integrity) }}
                      title={f.integrity in s.integrityHint ? s.integrityHint[f.integrity as keyof typeof s.integrityHint] : undefined}
                    >
                      <FontIcon iconName={integrityIcon(f.integrity)} aria-hidden /> {s.integrityText[f.integrity]}
                    </span>
                  </td>
                )}
                {withMenu ? (
                  <td className={classes.num}>
                    {f.actions.length > 0 ? (
                      running ? (
                        <span style={{ display: "inline-flex", width: 32, height: 26, alignItems: "center", justifyContent: "center" }}>
                          <Spinner size={SpinnerSize.xSmall} />
                        </span>
                      ) : (
                        <IconButton
                          iconProps={{ iconName: "More" }}
                          title={fill(s.moreFor, { name: f.path })}
                          ariaLabel={fill(s.moreFor, { name: f.path })}
                          aria-haspopup="menu"
                          aria-expanded={menu?.key === f.key}
                          disabled={!!props.busy}
                          onClick={(e) => setMenu({ key: f.key, target: e.currentTarget as HTMLElement })}
                          styles={{ root: { width: 32, height: 26 } }}
                        />
                      )
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      <GoneLine gone={props.gone} info={info} />
      {open && menu && onFileAction ? (
        <Suspense fallback={null}>
          <FileMenu
            target={menu.target}
            actions={open.actions}
            onAction={(a) => onFileAction(props.exchangeId, open, a)}
            onDismiss={() => setMenu(null)}
          />
        </Suspense>
      ) : null}
    </>
  );
}

function AccessTable(props: {
  rows: readonly AccessRow[];
  info: LocaleInfo;
  canRevoke: boolean;
  busy?: Busy;
  exchangeId: string;
  caption: string;
  onRevoke: (exchangeId: string, access: AccessRow) => void;
}) {
  const idBase = useId();
  if (props.rows.length === 0) return <p className={classes.empty}>{s.noAccess}</p>;
  return (
    <table className={classes.table}>
      <caption className={classes.visuallyHidden}>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{s.person}</th>
          <th scope="col">{s.right}</th>
          <th scope="col">{s.invitedOn}</th>
          <th scope="col">{s.invitedBy}</th>
          {props.canRevoke ? (
            <th scope="col">
              <span className={classes.visuallyHidden}>{s.actions.revoke}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((a, i) => {
          const running = props.busy?.action === "revokeAccess" && props.busy.accessKey === a.key;
          return (
            <tr key={a.key}>
              <td id={`${idBase}-${i}`}>
                <span className={classes.fileName}>
                  <FontIcon iconName="Contact" aria-hidden style={{ color: "#605e5c" }} />
                  {a.email}
                </span>
                {a.reason ? <div className={classes.small}>{fill(s.notContact, { reason: a.reason })}</div> : null}
                {a.unrecorded ? <div className={classes.small}>{s.addedInSharePoint}</div> : null}
              </td>
              <td className={classes.nowrap}>
                <FontIcon iconName={a.role === "write" ? "Edit" : "View"} aria-hidden /> {a.role === "write" ? s.canEdit : s.canView}
              </td>
              <td className={classes.nowrap}>{a.invitedOn ? formatDate(a.invitedOn, props.info) : a.unconfirmed ? s.notConfirmed : "—"}</td>
              <td>{a.invitedBy ?? "—"}</td>
              {props.canRevoke ? (
                <td className={classes.num}>
                  <DefaultButton
                    text={s.actions.revoke}
                    aria-describedby={`${idBase}-${i}`}
                    disabled={!!props.busy}
                    onClick={() => props.onRevoke(props.exchangeId, a)}
                    styles={{ root: { height: 26, minWidth: 0, padding: "0 8px" }, label: { fontWeight: 400, fontSize: 13 } }}
                    onRenderIcon={running ? () => <Spinner size={SpinnerSize.xSmall} /> : undefined}
                  />
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One exchange (one SharePoint folder): status, expiry, files, who has access, and what the agent may do. */
export const ExchangeCard = memo(function ExchangeCard({
  view,
  busy,
  onShare,
  onCopyLink,
  onRevoke,
  onRemove,
  onExpiry,
  onFileAction,
}: ExchangeCardProps) {
  const info = useLocaleInfo();
  const titleId = useId();
  const x = view.exchange;
  const deleted = x.stage === ExchangeStage.deleted;
  const title = x.direction === ExchangeDirection.backupForCustomer ? s.direction.backup : s.direction.files;
  const can = (a: string) => view.actions.includes(a as never);
  const running = (a: string) => busy?.action === a && busy.exchangeId === view.id;
  const spinner = () => <Spinner size={SpinnerSize.xSmall} />;
  const flaggedCount = view.files.filter((f) => f.malware).length;
  return (
    <section className={`${classes.card} ${deleted ? classes.cardDeleted : ""}`} aria-labelledby={titleId} data-exchange={view.id}>
      <div className={classes.cardHead}>
        <h2 className={classes.cardTitle} id={titleId}>
          <FontIcon
            iconName={x.direction === ExchangeDirection.backupForCustomer ? "Download" : "Upload"}
            aria-hidden
            style={{ color: "#0f6cbd" }}
          />
          {title}
        </h2>
        <span style={badgeStyle(view.status.tone)} data-status={view.status.kind}>
          {statusText(view)}
        </span>
      </div>
      <div className={classes.meta}>
        <span className={classes.metaItem}>
          <FontIcon iconName="FabricFolder" aria-hidden />
          <span>
            {s.folder}: {x.folderPath || x.name}
          </span>
        </span>
        {view.preparedOn ? (
          <span className={classes.metaItem}>
            {view.preparedBy
              ? fill(s.prepared, { name: view.preparedBy, date: formatDate(view.preparedOn, info) })
              : fill(s.preparedOn, { date: formatDate(view.preparedOn, info) })}
          </span>
        ) : null}
        {view.ticketName ? (
          <span className={classes.metaItem}>
            <FontIcon iconName="Ticket" aria-hidden />
            {fill(s.ticket, { ticket: view.ticketName })}
          </span>
        ) : null}
        <ExpiryLine view={view} info={info} />
        {view.webUrl && !deleted ? (
          <span className={classes.metaItem}>
            <FontIcon iconName="OpenInNewWindow" aria-hidden />
            <Link
              href={view.webUrl}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={fill(s.openFolderLabel, { folder: x.folderPath || x.name })}
              style={{ fontSize: 12 }}
            >
              {s.openFolder}
            </Link>
          </span>
        ) : null}
      </div>
      {view.folderMissing ? (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {s.folderMissing}
        </MessageBar>
      ) : null}
      {view.malwareRefusal ? (
        <MessageBar messageBarType={MessageBarType.severeWarning} isMultiline>
          {view.malwareRefusal}
        </MessageBar>
      ) : null}
      {!deleted && view.access.some((a) => a.unconfirmed) ? (
        <MessageBar
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={
            can("shareWithCustomer") ? (
              <div>
                <MessageBarButton text={s.retry} disabled={!!busy} onClick={() => onShare(view.id)} />
              </div>
            ) : undefined
          }
        >
          {fill(s.unconfirmed, {
            emails: view.access
              .filter((a) => a.unconfirmed)
              .map((a) => a.email)
              .join(", "),
          })}
        </MessageBar>
      ) : null}
      {view.contactChanges.map((c) => (
        <MessageBar
          key={c.access.key}
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={
            can("revokeAccess") ? (
              <div>
                <MessageBarButton text={s.actions.revoke} disabled={!!busy} onClick={() => onRevoke(view.id, c.access)} />
              </div>
            ) : undefined
          }
        >
          {c.newEmail
            ? fill(s.contactChanged, { newEmail: c.newEmail, oldEmail: c.oldEmail })
            : fill(s.contactRemoved, { oldEmail: c.oldEmail })}
        </MessageBar>
      ))}
      {!deleted ? (
        <>
          <div>
            <h3 className={classes.sectionTitle}>
              {s.files}
              {view.files.length > 0 ? (
                <span className={classes.small} style={{ fontWeight: 400, marginLeft: 6 }}>
                  {fill(s.filesCount, { count: formatNumber(view.goodFileCount, info), size: formatBytes(view.totalBytes, info) })}
                  {flaggedCount > 0 ? ` · ${plural(commonStrings.malware.count, flaggedCount, formatNumber(flaggedCount, info))}` : ""}
                </span>
              ) : null}
            </h3>
            <FilesTable
              files={view.files}
              gone={view.goneFiles}
              info={info}
              caption={`${s.files}: ${title}`}
              exchangeId={view.id}
              busy={busy}
              onFileAction={onFileAction}
            />
          </div>
          <div>
            <h3 className={classes.sectionTitle}>{s.access}</h3>
            <AccessTable
              rows={view.access}
              info={info}
              canRevoke={can("revokeAccess")}
              busy={busy}
              exchangeId={view.id}
              caption={`${s.access}: ${title}`}
              onRevoke={onRevoke}
            />
          </div>
        </>
      ) : null}
      {view.revoked.length > 0 ? (
        <div className={classes.small}>
          {s.revokedList}:{" "}
          {view.revoked
            .map(
              (r) =>
                `${r.email} (${r.revokedOn ? (r.revokedBy ? fill(s.revokedBy, { date: formatDate(r.revokedOn, info), name: r.revokedBy }) : fill(s.revokedOn, { date: formatDate(r.revokedOn, info) })) : ""})`,
            )
            .join("; ")}
        </div>
      ) : null}
      {view.actions.length > 0 ? (
        <div className={classes.actions}>
          {can("shareWithCustomer") ? (
            <PrimaryButton
              text={s.actions.share}
              iconProps={{ iconName: "Share" }}
              disabled={!!busy}
              onClick={() => onShare(view.id)}
              onRenderIcon={running("shareWithCustomer") ? spinner : undefined}
            />
          ) : null}
          {can("copyLink") ? (
            <DefaultButton
              text={s.actions.copyLink}
              iconProps={{ iconName: "Link" }}
              disabled={!!busy}
              onClick={() => onCopyLink(view.id)}
              onRenderIcon={running("copyLink") ? spinner : undefined}
            />
          ) : null}
          {onExpiry && can("keepWithoutExpiry") ? (
            <DefaultButton
              text={s.actions.keep}
              iconProps={{ iconName: "Lock" }}
              disabled={!!busy}
              onClick={() => onExpiry(view.id, "keep")}
              onRenderIcon={running("keepWithoutExpiry") ? spinner : undefined}
            />
          ) : null}
          {onExpiry && can("changeExpiry") ? (
            <DefaultButton
              text={s.actions.changeExpiry}
              iconProps={{ iconName: "Clock" }}
              disabled={!!busy}
              onClick={() => onExpiry(view.id, "date")}
              onRenderIcon={running("changeExpiry") ? spinner : undefined}
            />
          ) : null}
          {can("removeNow") ? (
            <DefaultButton
              text={x.direction === ExchangeDirection.filesFromCustomer ? s.actions.closeRequest : s.actions.remove}
              iconProps={{ iconName: "Delete" }}
              disabled={!!busy}
              onClick={() => onRemove(view.id)}
              onRenderIcon={running("removeNow") ? spinner : undefined}
              styles={{ root: { color: toneColors.danger }, icon: { color: toneColors.danger } }}
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
});
