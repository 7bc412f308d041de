package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.log.PollEntryText;
import io.jenkins.plugins.azureml.blob.log.PollHistory;
import io.jenkins.plugins.azureml.blob.log.PollingLogView;
import io.jenkins.plugins.azureml.blob.log.ReconciliationSummary;
import io.jenkins.plugins.azureml.blob.log.TriggerHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import jenkins.model.ParameterizedJobMixIn;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * "Azure Blob Polling Log" on the job page, like SCM polling's: a summary and one row per poll, newest first, built
 * by the engine's {@link PollingLogView}; {@code raw} gives the plain text. On the job page itself
 * ({@code jobMain.jelly}) it warns while polls fail. Viewing needs the job's READ permission (the action lives under
 * the job's URL); the log holds no secrets.
 */
public final class AzureBlobPollingLogAction implements Action {
    private static final String TROUBLESHOOTING = "https://github.com/jenkinsci/azure-ml-pipeline-plugin/blob/main/"
            + "docs/push-mode.md#troubleshooting";
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
     * The page: summary and rows, times in the controller's time zone, changes linked to their builds.
     *
     * @return the view
     * @throws IOException if the log cannot be read
     */
    public PollingLogView getView() throws IOException {
        List<PollEntry> entries = BlobTriggerPoll.history(job).read().entries();
        Instant now = Instant.now();
        AzureBlobTrigger trigger = ParameterizedJobMixIn.getTrigger(job, AzureBlobTrigger.class);
        Instant next = trigger == null || !job.isBuildable() ? null
                : NextPollTime.after(trigger.getSpec(), job.getFullName(), now);
        Instant oldest = entries.isEmpty() ? null : entries.get(0).started();
        return PollingLogView.of(entries, ZoneId.systemDefault(), now, next, new BlobBuildLinks(job, oldest));
    }

    /**
     * The whole log as plain text, oldest first, UTC times: the polls of earlier plugin versions (kept as they
     * were written), then one block per poll.
     *
     * @return the text, empty before the first poll
     * @throws IOException if a file cannot be read
     */
    public String getLog() throws IOException {
        PollHistory.Contents contents = BlobTriggerPoll.history(job).read();
        StringBuilder text = new StringBuilder(getLegacyLog());
        if (text.length() > 0 && !contents.entries().isEmpty()) {
            text.append("\n--- the polls above were logged by an earlier version of the plugin ---\n\n");
        }
        text.append(PollEntryText.render(contents.entries()));
        if (contents.unreadableLines() > 0) {
            text.append("\n(").append(contents.unreadableLines()).append(" unreadable line(s) of the log skipped)\n");
        }
        return text.toString();
    }

    /**
     * The text log of earlier plugin versions, shown as it is.
     *
     * @return the text with entry separators turned into blank lines, or empty
     * @throws IOException if the file exists but cannot be read
     */
    public String getLegacyLog() throws IOException {
        try {
            return Files.readString(new BlobTriggerJobFiles(job).legacyPollingLog(), StandardCharsets.UTF_8)
                    .replace("\u001E\n", "\n");
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** {@code raw}: the plain text of {@link #getLog()}. */
    public void doRaw(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        job.checkPermission(Item.READ);
        rsp.setContentType("text/plain;charset=UTF-8");
        rsp.getWriter().write(getLog());
    }

    /**
     * For the job page in push mode: what the reconciliation listings found that no event had announced, which is
     * how a broken Event Grid subscription shows. Reads the log only for a trigger with an event queue.
     *
     * @return the summary, or null without push mode or before its first reconciliation listing
     */
    @CheckForNull
    public ReconciliationSummary getPushModeSummary() {
        AzureBlobTrigger trigger = ParameterizedJobMixIn.getTrigger(job, AzureBlobTrigger.class);
        if (trigger == null || !trigger.isPushMode()) {
            return null;
        }
        try {
            return ReconciliationSummary.of(BlobTriggerPoll.history(job).read().entries()).orElse(null);
        } catch (IOException e) {
            return null; // the polling log page reports an unreadable log
        }
    }

    /** Push mode's troubleshooting guide, linked when events missed changes. */
    public String getTroubleshootingUrl() {
        return TROUBLESHOOTING;
    }

    /**
     * For the job page: what fails and since when, while the latest poll failed.
     *
     * @return the warning, or empty while polls succeed
     */
    public String getHealthWarning() {
        TriggerHealth health = AzureBlobTriggerHealthMonitor.get().health(job);
        return health.describe(ZoneId.systemDefault());
    }
}
