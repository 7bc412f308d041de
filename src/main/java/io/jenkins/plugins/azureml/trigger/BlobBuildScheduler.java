package io.jenkins.plugins.azureml.trigger;

import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobChangeEnvironment;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.ChangeScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jenkins.model.ParameterizedJobMixIn;

/**
 * Puts builds for blob changes into the Jenkins queue: the Jenkins side of the engine's poll cycle callback.
 *
 * <p>De-duplication for the one window the cycle leaves (the controller dies after scheduling but before the new
 * state is saved, so the next poll reports the same changes): a change already queued is merged by
 * {@link AzureBlobEnvironmentAction}'s queue rule, and a change that is the cause of a build started since the
 * state file was last written is skipped here and logged. Older builds need no look: their changes are in the
 * saved state.
 */
final class BlobBuildScheduler implements ChangeScheduler {
    /** An upper bound on the builds read back, each of which may cost a load from disk. */
    private static final int MAX_RECENT_BUILDS = 200;
    /** Manifests of batch builds not started yet kept in the job directory; older ones are deleted. */
    private static final int KEPT_MANIFESTS = 100;
    /** File times have coarse precision on some file systems: look a little further back. */
    private static final long CLOCK_SLACK_MILLIS = 5_000;

    private final Job<?, ?> job;
    private final BlobPollCycle.Mode mode;
    private final BlobTriggerJobFiles files;
    private final Consumer<String> log;
    private Set<AzureBlobTriggerCause> recentCauses;

    /**
     * @param job the job to schedule
     * @param mode one build per change, or one per poll
     * @param log receives one line per decision, for the polling log
     */
    BlobBuildScheduler(Job<?, ?> job, BlobPollCycle.Mode mode, Consumer<String> log) {
        this.job = job;
        this.mode = mode;
        this.files = new BlobTriggerJobFiles(job);
        this.log = log;
    }

    /**
     * The engine's callback: one change per call in per-blob mode, all of a poll's changes in batch mode.
     *
     * @throws BlobScheduleException if Jenkins refused the build; the cycle then keeps the old state
     */
    @Override
    public void schedule(List<BlobChange> changes, Map<String, String> environment) throws BlobScheduleException {
        if (mode == BlobPollCycle.Mode.BATCH) {
            scheduleBatch(changes);
        } else {
            for (BlobChange change : changes) {
                schedulePerBlob(change, environment);
            }
        }
    }

    private void schedulePerBlob(BlobChange change, Map<String, String> env) throws BlobScheduleException {
        AzureBlobTriggerCause cause = AzureBlobTriggerCause.of(change);
        if (alreadyBuilt(cause)) {
            log.accept("Skipped " + change + ": already the cause of a recent build");
            return;
        }
        Queue.Item item = enqueue(List.of(cause), env);
        log.accept("Scheduled a build for " + change + " (queue item " + item.getId() + ")");
    }

    /** One build for all the changes of a poll not built yet, with a manifest file listing them. */
    private void scheduleBatch(List<BlobChange> changes) throws BlobScheduleException {
        List<BlobChange> fresh = new ArrayList<>();
        for (BlobChange change : changes) {
            if (alreadyBuilt(AzureBlobTriggerCause.of(change))) {
                log.accept("Skipped " + change + ": already the cause of a recent build");
            } else {
                fresh.add(change);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Path manifest = writeManifest(fresh);
        Map<String, String> env = new LinkedHashMap<>(BlobChangeEnvironment.forBatch(fresh));
        env.put(BlobChangeEnvironment.MANIFEST, manifest.toString());
        List<AzureBlobTriggerCause> causes = fresh.stream().map(AzureBlobTriggerCause::of).toList();
        Queue.Item item = enqueue(causes, env);
        log.accept("Scheduled one build for " + fresh.size() + " change(s) (queue item " + item.getId()
                + "), manifest " + manifest);
        pruneManifests();
    }

    /** Puts one build into the queue; a private name, since {@code schedule(List, Map)} is the engine callback. */
    private Queue.Item enqueue(List<AzureBlobTriggerCause> causes, Map<String, String> env)
            throws BlobScheduleException {
        List<Cause> asCauses = new ArrayList<>(causes);
        Action[] actions = {new CauseAction(asCauses), new AzureBlobEnvironmentAction(env, causes)};
        Queue.Item item = ParameterizedJobMixIn.scheduleBuild2(job, -1, actions);
        if (item == null) {
            throw new BlobScheduleException("Jenkins refused to schedule a build of " + job.getFullName()
                    + " (disabled, or a queue decision handler said no); the change(s) stay pending and are retried "
                    + "by the next poll");
        }
        return item;
    }

    /** Whether a build started since the state was last saved was caused by this change. */
    private boolean alreadyBuilt(AzureBlobTriggerCause cause) {
        if (recentCauses == null) {
            recentCauses = loadRecentCauses();
        }
        return recentCauses.contains(cause);
    }

    private Set<AzureBlobTriggerCause> loadRecentCauses() {
        long since = lastStateSave() - CLOCK_SLACK_MILLIS;
        Set<AzureBlobTriggerCause> causes = new HashSet<>();
        int read = 0;
        for (Run<?, ?> run : job.getBuilds()) {
            if (run.getTimeInMillis() < since || ++read > MAX_RECENT_BUILDS) {
                break;
            }
            for (Cause c : run.getCauses()) {
                if (c instanceof AzureBlobTriggerCause) {
                    causes.add((AzureBlobTriggerCause) c);
                }
            }
        }
        return causes;
    }

    /** When the state was last saved, or 0 (look at all recent builds) if it never was. */
    private long lastStateSave() {
        try {
            return Files.getLastModifiedTime(files.stateFile()).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path writeManifest(List<BlobChange> changes) throws BlobScheduleException {
        try {
            Path dir = Files.createDirectories(files.manifestDir());
            Path manifest = Files.createTempFile(dir, "batch-" + System.currentTimeMillis() + "-", ".json");
            Files.writeString(manifest, BlobChangeEnvironment.manifest(changes), StandardCharsets.UTF_8);
            return manifest;
        } catch (IOException e) {
            throw new BlobScheduleException("Cannot write the batch manifest in " + files.manifestDir() + ": " + e
                    + "; the changes stay pending and are retried by the next poll");
        }
    }

    /**
     * A started build moves its manifest into its own directory ({@link AzureBlobEnvironmentAction}); what stays here
     * belongs to builds still queued, or to queue items that were canceled. Keep a bounded number of those.
     */
    private void pruneManifests() {
        try (Stream<Path> all = Files.list(files.manifestDir())) {
            List<Path> sorted = all.filter(BlobBuildScheduler::isManifest).sorted().toList();
            for (int i = 0; i < sorted.size() - KEPT_MANIFESTS; i++) {
                Files.deleteIfExists(sorted.get(i));
            }
        } catch (IOException e) {
            log.accept("Could not delete old batch manifests: " + e);
        }
    }

    private static boolean isManifest(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(".json");
    }
}
