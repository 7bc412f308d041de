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
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.log.PollHistory;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * One poll of one job, on a {@link BlobPollExecutor} thread: connects with the job's credential, then lets the
 * engine's {@link BlobPollCycle} load the state, detect, call {@link BlobBuildScheduler} to schedule, and save the
 * new state only if scheduling succeeded; its entry, with the scheduler's decisions, goes to the polling log and
 * the trigger's health. No decision about what changed is made here.
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

    /** The polling log of a job. */
    static PollHistory history(Job<?, ?> job) {
        return new PollHistory(new BlobTriggerJobFiles(job).pollHistory(), POLLING_LOG_BYTES);
    }

    @Override
    public void run() {
        // As core's cron thread does for triggers; credential lookup uses the job's own authentication.
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            if (Jenkins.get().getItemByFullName(job.getFullName(), Job.class) != job || !job.isBuildable()) {
                return; // deleted, renamed meanwhile (the next tick polls under the new name) or disabled
            }
            record(poll());
        }
    }

    private PollEntry poll() {
        Instant started = Instant.now();
        String target = trigger.getAccountUrl() + "/" + trigger.getContainer() + "/" + trigger.getPrefix();
        BlobWatch watch;
        BlobContainerClient client;
        try {
            watch = trigger.toWatch();
            client = StorageCredentialResolver.connect(trigger.getCredentialsId(), job,
                    BlobContainerClientFactory.forWatch(watch).httpClient(HttpClientRetriever.get()));
        } catch (InvalidFieldException | AbortException e) {
            return PollEntry.notPolled(started, target, AzureBlobTriggerForm.sentence(e.getMessage()))
                    .withGlueFacts(skippedTicks, List.of());
        } catch (RuntimeException e) {
            // e.g. azure-credentials cannot build a token credential: its type only, the message is not ours.
            LOGGER.log(Level.FINE, "Azure Blob poll of " + job.getFullName() + " could not connect", e);
            return PollEntry.notPolled(started, target, "the credential '" + trigger.getCredentialsId()
                    + "' could not be used (" + e.getClass().getName() + ")").withGlueFacts(skippedTicks, List.of());
        }
        BlobPollCycle.Mode mode = trigger.getMode() == BlobTriggerMode.BATCH
                ? BlobPollCycle.Mode.BATCH : BlobPollCycle.Mode.PER_BLOB;
        List<String> decisions = new ArrayList<>();
        BlobBuildScheduler scheduler = new BlobBuildScheduler(job, mode, decisions::add);
        BlobPollCycle cycle = new BlobPollCycle(BlobChangeDetector.builder(client).build(),
                new WatchStateStore(new BlobTriggerJobFiles(job).stateFile()), mode, scheduler);
        // Push mode: the listing is the reconciliation and counts what no event had fired.
        PollReport report = (trigger.isPushMode() ? cycle.asReconciliation() : cycle).run(watch);
        return report.entry().withGlueFacts(skippedTicks, decisions);
    }

    private void record(PollEntry entry) {
        try {
            history(job).append(entry);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot write the Azure Blob polling log of " + job.getFullName(), e);
        }
        AzureBlobTriggerHealthMonitor.get().record(job, entry);
    }
}
