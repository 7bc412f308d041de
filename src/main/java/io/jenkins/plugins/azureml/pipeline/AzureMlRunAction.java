package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;

/**
 * One Azure ML run submitted by a build: its id, experiment, last known status and a link to Azure ML studio,
 * shown on the build page ({@code summary.jelly}) and as a side panel link; once {@code azureMlRunMetrics} read them,
 * also the run's and its steps' metrics. Saved in build.xml: plain strings, and the metrics as plain java.util values.
 */
public final class AzureMlRunAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(AzureMlRunAction.class.getName());

    private final String runId;
    private final String experimentName;
    private final String studioUrl;
    private volatile String status;
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

    /** Records a new status and saves the build when it changed. */
    void updateStatus(@CheckForNull String newStatus) {
        if (newStatus == null || newStatus.equals(status)) {
            return;
        }
        status = newStatus;
        save();
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

    @Override
    public String getDisplayName() {
        return "Azure ML run " + runId;
    }

    /** An absolute URL: the side panel link opens the run in Azure ML studio. */
    @Override
    public String getUrlName() {
        return studioUrl;
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
