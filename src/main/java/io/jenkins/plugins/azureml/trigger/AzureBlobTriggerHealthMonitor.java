package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.AdministrativeMonitor;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.log.TriggerHealth;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * "Azure Blob triggers are failing" under Manage Jenkins: the jobs whose last {@value #DEFAULT_THRESHOLD} or more
 * polls failed in a row (system property {@code <this class>.threshold}), each with its last error and since when.
 * Also the health registry the job page reads: kept in memory, updated by each poll, and read from a job's polling
 * log the first time it is asked for (after a restart).
 */
@Extension
public final class AzureBlobTriggerHealthMonitor extends AdministrativeMonitor {
    private static final Logger LOGGER = Logger.getLogger(AzureBlobTriggerHealthMonitor.class.getName());
    static final int DEFAULT_THRESHOLD = 3;
    private static final int THRESHOLD = Math.max(1,
            Integer.getInteger(AzureBlobTriggerHealthMonitor.class.getName() + ".threshold", DEFAULT_THRESHOLD));

    /** Keyed on the job object, as the poll executor is: a rename keeps the entry, a deletion removes it. */
    private final ConcurrentMap<Job<?, ?>, TriggerHealth> health = new ConcurrentHashMap<>();

    /** The registered instance. */
    static AzureBlobTriggerHealthMonitor get() {
        return ExtensionList.lookupSingleton(AzureBlobTriggerHealthMonitor.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Azure Blob triggers failing";
    }

    @Override
    public boolean isActivated() {
        return !getFailingJobs().isEmpty();
    }

    /**
     * "Dismiss", as core's monitors offer: hides this monitor until an administrator enables it again (Manage
     * Jenkins, System, Administrative monitors). The job pages and polling logs keep their warnings.
     */
    @RequirePOST
    public void doAct(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (req.hasParameter("no")) {
            disable(true);
        }
        rsp.sendRedirect(req.getContextPath() + "/manage");
    }

    /** Counts a poll that has just been written to the job's polling log. */
    void record(Job<?, ?> job, PollEntry entry) {
        // Not known yet: the log read from disk already holds this entry.
        health.compute(job, (j, h) -> h == null ? load(j) : h.after(entry));
    }

    /** The job's health, read from its polling log if no poll has run since the start. */
    TriggerHealth health(Job<?, ?> job) {
        return health.computeIfAbsent(job, AzureBlobTriggerHealthMonitor::load);
    }

    /** Drops a deleted job. */
    void forget(Job<?, ?> job) {
        health.remove(job);
    }

    private static TriggerHealth load(Job<?, ?> job) {
        try {
            return TriggerHealth.of(BlobTriggerPoll.history(job).read().entries());
        } catch (IOException e) {
            LOGGER.log(Level.FINE, "Cannot read the Azure Blob polling log of " + job.getFullName(), e);
            return TriggerHealth.UNKNOWN;
        }
    }

    /**
     * The jobs to list: still existing, enabled, with the trigger, failing for at least the threshold, most
     * failures first; only those the current user may see.
     *
     * @return the jobs with their health
     */
    public List<FailingJob> getFailingJobs() {
        List<FailingJob> failing = new ArrayList<>();
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null) {
            return failing;
        }
        for (Map.Entry<Job<?, ?>, TriggerHealth> e : health.entrySet()) {
            Job<?, ?> job = e.getKey();
            TriggerHealth h = e.getValue();
            if (h.consecutiveFailures() >= THRESHOLD && job.isBuildable() && job.hasPermission(Item.READ)
                    && jenkins.getItemByFullName(job.getFullName(), Job.class) == job
                    && ParameterizedJobMixIn.getTrigger(job, AzureBlobTrigger.class) != null) {
                failing.add(new FailingJob(job, h));
            }
        }
        failing.sort(Comparator.comparingInt(FailingJob::getFailures).reversed());
        return failing;
    }

    /** One line of the monitor. */
    public static final class FailingJob {
        private final Job<?, ?> job;
        private final TriggerHealth health;

        FailingJob(Job<?, ?> job, TriggerHealth health) {
            this.job = job;
            this.health = health;
        }

        public Job<?, ?> getJob() {
            return job;
        }

        public int getFailures() {
            return health.consecutiveFailures();
        }

        /** How many polls failed since when, and the last error. */
        public String getMessage() {
            return health.describe(ZoneId.systemDefault());
        }
    }
}
