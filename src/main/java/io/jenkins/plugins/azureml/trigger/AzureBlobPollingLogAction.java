package io.jenkins.plugins.azureml.trigger;

import hudson.model.Action;
import hudson.model.Job;
import io.jenkins.plugins.azureml.blob.PollingLog;
import io.jenkins.plugins.azureml.blob.ReconciliationSummary;
import java.io.IOException;

/**
 * "Azure Blob Polling Log" on the job page, like SCM polling's: what the recent polls listed, found, scheduled and
 * which errors they met. Viewing it needs the job's READ permission (the action lives under the job's URL); the log
 * holds no secrets.
 */
public final class AzureBlobPollingLogAction implements Action {
    private final Job<?, ?> job;

    AzureBlobPollingLogAction(Job<?, ?> job) {
        this.job = job;
    }

    /** The job, for the side panel. */
    public Job<?, ?> getOwner() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return "Azure Blob Polling Log";
    }

    @Override
    public String getUrlName() {
        return "azureBlobPollLog";
    }

    /**
     * The log text, or an empty string before the first poll.
     *
     * @return the log (plain text; the page escapes it)
     * @throws IOException if the file cannot be read
     */
    public String getLog() throws IOException {
        return new PollingLog(new BlobTriggerJobFiles(job).pollingLog(), BlobTriggerPoll.POLLING_LOG_BYTES).read();
    }

    /**
     * Push mode's line above the log: what the reconciliation listings fired that no event had.
     *
     * @return the line, or null without push mode (or before its first listing)
     * @throws IOException if the log cannot be read
     */
    public String getReconciliation() throws IOException {
        return ReconciliationSummary.of(getLog()).map(ReconciliationSummary::text).orElse(null);
    }
}
