package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.run.RunProgress;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;

/**
 * One Azure ML run submitted by a build: its id, experiment, last known status, how long the step has waited and a
 * link to Azure ML studio; once {@code azureMlRunMetrics} read them, also the run's and its steps' metrics. Shown on
 * the build page ({@code summary.jelly}) and on a page of its own ({@code index.jelly}) behind a short side panel
 * link. Saved in build.xml: plain values only (the metrics as plain java.util values). The build is saved when the
 * status changes, not at every status check.
 */
public final class AzureMlRunAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(AzureMlRunAction.class.getName());

    private final String runId;
    private final String experimentName;
    private final String studioUrl;
    private volatile String status;
    /** When the step began waiting and last read the status (epoch millis; 0 when not known). */
    private volatile long waitingSince;
    private volatile long lastChecked;
    /** Whether the step stopped waiting: the status is final (or nobody follows it any more). */
    private volatile boolean done;
    /** Why the run did not succeed, as the build's ERROR line says it; null while it runs or when it succeeded. */
    private volatile String failure;
    /** The steps of a failed pipeline run that failed (MLflow child runs); null when not known. */
    private volatile List<String> failedSteps;
    /** Null until {@code azureMlRunMetrics} reads the run's metrics (and in builds saved before it existed). */
    private volatile RunMetrics metrics;
    private transient Run<?, ?> run;

    AzureMlRunAction(String runId, String experimentName, String studioUrl, String status) {
        this.runId = runId;
        this.experimentName = experimentName;
        this.studioUrl = studioUrl;
        this.status = status;
    }

    /** The action of {@code runId} on {@code build}, added (and the build saved) if missing. */
    static AzureMlRunAction getOrAdd(Run<?, ?> build, String runId, String experimentName, String studioUrl) {
        synchronized (AzureMlRunAction.class) {
            for (AzureMlRunAction a : build.getActions(AzureMlRunAction.class)) {
                if (a.runId.equals(runId)) {
                    return a;
                }
            }
            AzureMlRunAction a = new AzureMlRunAction(runId, experimentName, studioUrl, null);
            build.addAction(a);
            a.save();
            return a;
        }
    }

    public String getRunId() {
        return runId;
    }

    /** Null for a run this build did not submit, whose metrics {@code azureMlRunMetrics} read. */
    @CheckForNull
    public String getExperimentName() {
        return experimentName;
    }

    public String getStudioUrl() {
        return studioUrl;
    }

    /** The last status the step reported, e.g. {@code Running}. */
    @CheckForNull
    public String getStatus() {
        return status;
    }

    /**
     * Why the run failed, was canceled or was not followed to its end: the same text as the build's ERROR line
     * (the service's error code and message, and the studio link); null while it runs or after a success.
     */
    @CheckForNull
    public String getFailure() {
        return failure;
    }

    /** The pipeline steps that failed, e.g. {@code train}, or null when not known (or not a failed pipeline run). */
    @CheckForNull
    public List<String> getFailedSteps() {
        return failedSteps;
    }

    /** Records the failed steps of the run and saves the build. */
    void recordFailedSteps(List<String> steps) {
        failedSteps = List.copyOf(steps);
        save();
    }

    /** The run's and its steps' metrics as last read in this build, or null. */
    @CheckForNull
    public RunMetrics getMetrics() {
        return metrics;
    }

    /** Records the metrics read by {@code azureMlRunMetrics} and saves the build. */
    void recordMetrics(RunMetrics newMetrics) {
        metrics = newMetrics;
        save();
    }

    /** The build this run belongs to (for the page's side panel). */
    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    /**
     * While the step waits: e.g. {@code Running for 12 min, last checked 40 s ago}; afterwards the last status.
     */
    @CheckForNull
    public String getProgressText() {
        long since = waitingSince;
        long checked = lastChecked;
        if (done || since == 0) {
            return status;
        }
        return RunProgress.describe(status, Instant.ofEpochMilli(since),
                checked == 0 ? null : Instant.ofEpochMilli(checked), Instant.now());
    }

    /** Whether the step still waits for this run. */
    public boolean isWaiting() {
        return !done && waitingSince != 0;
    }

    /** Records a new status and saves the build when it changed. */
    void updateStatus(@CheckForNull String newStatus) {
        if (newStatus == null || newStatus.equals(status)) {
            return;
        }
        status = newStatus;
        save();
    }

    /** After each status check: the times always, the build saved only when the status changed. */
    void updateProgress(RunProgress progress) {
        Instant started = progress.getStartedAt();
        Instant checked = progress.getLastCheckedAt();
        if (started != null) {
            waitingSince = started.toEpochMilli();
        }
        if (checked != null) {
            lastChecked = checked.toEpochMilli();
        }
        updateStatus(progress.getLastReportedStatus());
    }

    /** The step stopped waiting, with this last status. */
    void finished(@CheckForNull String finalStatus) {
        finished(finalStatus, null);
    }

    /** The step stopped waiting, with this last status and, when the run did not succeed, why. */
    void finished(@CheckForNull String finalStatus, @CheckForNull String why) {
        done = true;
        failure = why;
        if (finalStatus == null || finalStatus.equals(status)) {
            save();
        } else {
            updateStatus(finalStatus);
        }
    }

    private void save() {
        Run<?, ?> r = run;
        if (r == null) {
            return;
        }
        try {
            r.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save " + r + " after updating Azure ML run " + runId, e);
        }
    }

    @Override
    public String getIconFileName() {
        return "symbol-flask";
    }

    /** Short: the side panel has little room; the page names the run. */
    @Override
    public String getDisplayName() {
        return "Azure ML run";
    }

    /** The page of this run under the build, unique per run of the build. */
    @Override
    public String getUrlName() {
        return "azure-ml-run-" + runId.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }
}
