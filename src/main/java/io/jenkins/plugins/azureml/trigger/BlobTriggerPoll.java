package io.jenkins.plugins.azureml.trigger;

import com.azure.storage.blob.BlobContainerClient;
import hudson.AbortException;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.PollReport;
import io.jenkins.plugins.azureml.blob.PollingLog;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * One poll of one job, on a {@link BlobPollExecutor} thread: connects with the job's credential, then lets the
 * engine's {@link BlobPollCycle} load the state, detect, call {@link BlobBuildScheduler} to schedule, and save the
 * new state only if scheduling succeeded; its report, with the scheduler's decisions, is the polling log entry. No
 * decision about what changed is made here.
 */
final class BlobTriggerPoll implements Runnable {
    private static final Logger LOGGER = Logger.getLogger(BlobTriggerPoll.class.getName());
    /** Bound of the polling log file; the oldest entries are dropped beyond it. */
    static final long POLLING_LOG_BYTES = 256 * 1024;

    private final Job<?, ?> job;
    private final AzureBlobTrigger trigger;
    private final int skippedTicks;

    /**
     * @param job the job
     * @param trigger its trigger as configured when the tick fired
     * @param skippedTicks ticks skipped since the previous poll because it was still running
     */
    BlobTriggerPoll(Job<?, ?> job, AzureBlobTrigger trigger, int skippedTicks) {
        this.job = job;
        this.trigger = trigger;
        this.skippedTicks = skippedTicks;
    }

    @Override
    public void run() {
        // As core's cron thread does for triggers; credential lookup uses the job's own authentication.
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            if (Jenkins.get().getItemByFullName(job.getFullName(), Job.class) != job || !job.isBuildable()) {
                return; // deleted, renamed meanwhile (the next tick polls under the new name) or disabled
            }
            poll();
        }
    }

    private void poll() {
        BlobTriggerJobFiles files = new BlobTriggerJobFiles(job);
        PollingLog log = new PollingLog(files.pollingLog(), POLLING_LOG_BYTES);
        StringBuilder entry = new StringBuilder();
        if (skippedTicks > 0) {
            entry.append(skippedTicks).append(" scheduled poll(s) skipped because the previous poll was still running\n");
        }
        BlobWatch watch;
        BlobContainerClient client;
        try {
            watch = trigger.toWatch();
            client = StorageCredentialResolver.connect(trigger.getCredentialsId(), job,
                    BlobContainerClientFactory.forWatch(watch).httpClient(HttpClientRetriever.get()));
        } catch (InvalidFieldException | AbortException e) {
            append(log, entry.append("Not polled: ").append(e.getMessage()).append('\n'));
            return;
        } catch (RuntimeException e) {
            // e.g. azure-credentials cannot build a token credential: its type only, the message is not ours.
            append(log, entry.append("Not polled: the credential '").append(trigger.getCredentialsId())
                    .append("' could not be used (").append(e.getClass().getName()).append(")\n"));
            LOGGER.log(Level.FINE, "Azure Blob poll of " + job.getFullName() + " could not connect", e);
            return;
        }
        BlobPollCycle.Mode mode = trigger.getMode() == BlobTriggerMode.BATCH
                ? BlobPollCycle.Mode.BATCH : BlobPollCycle.Mode.PER_BLOB;
        List<String> decisions = new ArrayList<>();
        BlobBuildScheduler scheduler = new BlobBuildScheduler(job, mode, decisions::add);
        BlobPollCycle cycle = new BlobPollCycle(BlobChangeDetector.builder(client).build(),
                new WatchStateStore(files.stateFile()), mode, scheduler);
        // Push mode: the listing is the reconciliation and counts what no event had fired.
        PollReport report = (trigger.getEventQueueUrl().isEmpty() ? cycle : cycle.asReconciliation()).run(watch);
        entry.append(report.text());
        decisions.forEach(d -> entry.append(d).append('\n'));
        append(log, entry);
    }

    private void append(PollingLog log, CharSequence text) {
        try {
            log.append(text.toString());
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot write the Azure Blob polling log of " + job.getFullName(), e);
        }
    }
}
