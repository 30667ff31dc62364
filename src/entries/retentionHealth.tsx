/**
 * The retention job's tile on the supervisors' dashboard (cfx_/dashboards/retention-health.html):
 * reads the dashboard's `parent.Xrm` (a dashboard has no form to hand over a context), builds the
 * adapter, reads the last runs and the overdue setting with the supervisor's own access, renders.
 */
import { browserTimeZone, rootElement, startPanelHost, type PanelContext } from "./panelHost";
import { createRoot } from "react-dom/client";
import { retryingWebApi } from "../adapters/xrm/retryingWebApi";
import { XrmJobRunReads } from "../adapters/xrm/XrmJobRunReads";
import { jobHealth } from "../domain/jobHealth";
import { systemClock } from "../ports/Clock";
import { describeError } from "../ui/common/errorText";
import { localeFromLcid } from "../ui/common/format";
import { RetentionHealth } from "../ui/health/RetentionHealth";
import { healthStrings } from "../ui/health/strings";
import { jobRunsView } from "../model/views";

const root = createRoot(rootElement());

function message(text: string, alert = false): void {
  root.render(<p className={alert ? "health-alert" : "health-line muted"}>{text}</p>);
}

async function show(ctx: PanelContext): Promise<void> {
  const locale = {
    locale: localeFromLcid(ctx.params.userlcid ?? ctx.xrm.Utility.getGlobalContext().userSettings.languageId),
    timeZone: browserTimeZone(),
  };
  const reads = new XrmJobRunReads(retryingWebApi(ctx.xrm.WebApi));
  const [lastSuccess, latest, overdueHours] = await Promise.all([reads.lastSuccessfulRun(), reads.latestRun(), reads.overdueHours()]);
  const openRuns = () => void ctx.xrm.Navigation.navigateTo({ pageType: "entitylist", entityName: jobRunsView.table });
  root.render(
    <RetentionHealth
      health={jobHealth(lastSuccess, systemClock.now(), overdueHours)}
      latest={latest}
      overdueHours={overdueHours}
      locale={locale}
      onOpenRuns={openRuns}
    />,
  );
}

message(healthStrings.loading);
startPanelHost(
  (ctx) => {
    show(ctx).catch((e: unknown) => message(describeError(e).text, true));
  },
  // Nothing hands a dashboard's web resource a context: after the usual wait (the dashboard's own
  // scripts may still be loading), parent.Xrm.
  { onUnavailable: () => message(healthStrings.unavailable) },
);
