package io.jenkins.plugins.azureml.trigger;

import hudson.model.Job;
import java.nio.file.Path;

/**
 * Where the trigger keeps its files in the job directory: they follow the job on rename and go away with it, and
 * never enter config.xml (a configuration save must not reset what has been seen).
 */
final class BlobTriggerJobFiles {
    private final Path jobDir;

    BlobTriggerJobFiles(Job<?, ?> job) {
        this.jobDir = job.getRootDir().toPath();
    }

    /** The saved {@code WatchState}: what the trigger has already seen. */
    Path stateFile() {
        return jobDir.resolve("azure-blob-trigger-state.json");
    }

    /** The polling log of earlier versions (plain text); still shown, no longer written. */
    Path legacyPollingLog() {
        return jobDir.resolve("azure-blob-polling.log");
    }

    /** The bounded polling log shown by {@link AzureBlobPollingLogAction}: one JSON line per poll. */
    Path pollHistory() {
        return jobDir.resolve("azure-blob-polls.jsonl");
    }

    /** Manifests of queued batch builds; each moves into its build directory when the build starts. */
    Path manifestDir() {
        return jobDir.resolve("azure-blob-manifests");
    }
}
