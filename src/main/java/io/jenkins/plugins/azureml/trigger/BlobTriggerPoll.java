package io.jenkins.plugins.azureml.trigger;

import com.azure.storage.blob.BlobContainerClient;
import hudson.AbortException;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobPollingLog;
import io.jenkins.plugins.azureml.blob.BlobWatch;
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
 * engine's {@link BlobPollCycle} load the state, detect, call back here to schedule, save the new state only if
 * scheduling succeeded, and write the polling log. No decision about what changed is made here.
 */
final class BlobTriggerPoll implements Runnable {
    private static final Logger LOGGER = Logger.getLogger(BlobTriggerPoll.class.getName());

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
        BlobPollingLog log = new BlobPollingLog(files.pollingLog());
        List<String> notes = new ArrayList<>();
        if (skippedTicks > 0) {
            notes.add(skippedTicks + " scheduled poll(s) skipped because the previous poll was still running");
        }
        BlobWatch watch;
        BlobContainerClient client;
        try {
            watch = trigger.toWatch();
            client = StorageCredentialResolver.connect(trigger.getCredentialsId(), job,
                    BlobContainerClientFactory.forWatch(watch).httpClient(HttpClientRetriever.get()));
        } catch (InvalidFieldException | AbortException e) {
            notes.add("Not polled: " + e.getMessage());
            append(log, String.join("\n", notes));
            return;
        } catch (RuntimeException e) {
            // e.g. azure-credentials cannot build a token credential: its type only, the message is not ours.
            notes.add("Not polled: the credential '" + trigger.getCredentialsId() + "' could not be used ("
                    + e.getClass().getName() + ")");
            append(log, String.join("\n", notes));
            LOGGER.log(Level.FINE, "Azure Blob poll of " + job.getFullName() + " could not connect", e);
            return;
        }
        if (!notes.isEmpty()) {
            append(log, String.join("\n", notes));
        }
        BlobPollCycle.Mode mode = trigger.getMode() == BlobTriggerMode.BATCH
                ? BlobPollCycle.Mode.BATCH : BlobPollCycle.Mode.PER_BLOB;
        List<String> lines = new ArrayList<>();
        BlobBuildScheduler scheduler = new BlobBuildScheduler(job, lines::add);
        new BlobPollCycle(new WatchStateStore(files.stateFile()), log).run(watch,
                BlobChangeDetector.builder(client).build(), mode, changes -> schedule(scheduler, lines, mode, changes));
    }

    /** The cycle's callback: schedules, and returns what it did for the polling log. */
    private static String schedule(BlobBuildScheduler scheduler, List<String> lines, BlobPollCycle.Mode mode,
            List<BlobChange> changes) {
        lines.clear();
        try {
            if (mode == BlobPollCycle.Mode.BATCH) {
                scheduler.scheduleBatch(changes);
            } else {
                for (BlobChange change : changes) {
                    scheduler.schedulePerBlob(change);
                }
            }
        } catch (BlobScheduleException e) {
            // Keep what was scheduled before the refusal in the log the cycle writes with the error.
            lines.add(e.getMessage());
            throw new BlobScheduleException(String.join("\n", lines));
        }
        return String.join("\n", lines);
    }

    private void append(BlobPollingLog log, String text) {
        try {
            log.append(text);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot write the Azure Blob polling log of " + job.getFullName(), e);
        }
    }
}
