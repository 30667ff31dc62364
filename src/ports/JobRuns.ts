import type { JobRun } from "../domain/jobHealth";

/** Where the retention job records its runs (Dataverse's `cfx_jobrun`, written with the job's token). */
export interface JobRunLog {
  /** Creates the run's row under its own id; a create already written counts as done. */
  record(run: JobRun): Promise<void>;
}

/** The runs as the dashboard reads them (the supervisor's own access). */
export interface JobRunReads {
  /** The latest run that did its work (succeeded or completed with failures), if any. */
  lastSuccessfulRun(): Promise<JobRun | undefined>;
  /** The latest run, whatever its outcome, if any. */
  latestRun(): Promise<JobRun | undefined>;
  /** Hours without a successful run before the job is overdue (the setting). */
  overdueHours(): Promise<number>;
}
