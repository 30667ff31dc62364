import { memo } from "react";
import type { JobHealth, JobRun } from "../../domain/jobHealth";
import { formatDateTime, formatNumber, type LocaleInfo } from "../common/format";
import { fill, healthStrings as s } from "./strings";

export interface RetentionHealthProps {
  readonly health: JobHealth;
  /** The latest run, whatever its outcome. */
  readonly latest?: JobRun;
  readonly overdueHours: number;
  readonly locale: LocaleInfo;
  /** Opens the "Retention Job Runs" view. */
  readonly onOpenRuns?: () => void;
}

function summary(run: JobRun, info: LocaleInfo): string {
  const n = (v: number) => formatNumber(v, info);
  const text = fill(s.summary, {
    warned: n(run.counts.warned),
    deleted: n(run.counts.deleted),
    expired: n(run.counts.expired),
    orphans: n(run.counts.orphans),
  });
  return run.counts.failures > 0 ? `${text}, ${fill(s.failureCount, { count: n(run.counts.failures) })}` : text;
}

/**
 * The retention job's health for the supervisors' dashboard: on time or overdue (and since when),
 * the last successful run with what it did, and the latest run's failures when it had any.
 */
export const RetentionHealth = memo(function RetentionHealth({ health, latest, overdueHours, locale, onOpenRuns }: RetentionHealthProps) {
  const when = (d: Date) => formatDateTime(d, locale);
  const host = (run: JobRun) => s.hosts[run.host] ?? String(run.host);
  const late = health.state !== "onTime";
  const lastSuccess = health.state === "neverSucceeded" ? undefined : health.lastSuccess;
  const showLatest = latest && (latest.id !== lastSuccess?.id || latest.counts.failures > 0);
  return (
    <section className={`health ${late ? "late" : "ok"}`} aria-label={s.title}>
      <header className="health-head">
        <span className="health-title">{s.title}</span>
        <span className="health-state" role="status">
          {late ? s.overdue : s.onTime}
        </span>
        {onOpenRuns && (
          <button type="button" className="health-link" onClick={onOpenRuns}>
            {s.allRuns}
          </button>
        )}
      </header>
      {health.state === "overdue" && (
        <p className="health-alert">
          {fill(s.overdueSince, { since: when(health.overdueSince), hours: formatNumber(overdueHours, locale) })}
        </p>
      )}
      {health.state === "neverSucceeded" && <p className="health-alert">{s.neverSucceeded}</p>}
      {lastSuccess && (
        <p className="health-line">
          {fill(s.lastSuccess, { finished: when(lastSuccess.finishedOn), host: host(lastSuccess), summary: summary(lastSuccess, locale) })}
        </p>
      )}
      {health.state === "onTime" && <p className="health-line muted">{fill(s.dueBy, { dueBy: when(health.dueBy) })}</p>}
      {late && <p className="health-line muted">{s.whatToCheck}</p>}
      {showLatest && (
        <div className="health-latest">
          <p className="health-line">
            {fill(s.latest, { started: when(latest.startedOn), host: host(latest), outcome: s.outcomes[latest.outcome] ?? "" })}
          </p>
          {latest.failureDetails && (
            <>
              <p className="health-line">{s.failures}</p>
              <pre className="health-failures">{latest.failureDetails}</pre>
            </>
          )}
        </div>
      )}
    </section>
  );
});
