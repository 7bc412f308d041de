package io.jenkins.plugins.azureml.trigger;

import hudson.model.Cause;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.azureml.blob.log.BuildLink;
import io.jenkins.plugins.azureml.blob.log.PollingLogView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the build each logged change started, from the job's recent builds' {@link AzureBlobTriggerCause}s: a
 * change is identified by (container, name, ETag), which is what the cause records, so no queue item id needs to be
 * kept, and a change skipped as already built links the build that was.
 */
final class BlobBuildLinks implements PollingLogView.BuildLookup {
    /** An upper bound on the builds read, each of which may cost a load from disk. */
    private static final int MAX_BUILDS = 200;
    /** Builds start after the poll that queued them; a minute of slack for clocks and quiet periods. */
    private static final long SLACK_MILLIS = 60_000;

    private final Map<AzureBlobTriggerCause, BuildLink> byCause = new HashMap<>();

    /**
     * @param job the job
     * @param oldestPoll the start of the oldest poll in the log; builds before it are not read. Null: none is read.
     */
    BlobBuildLinks(Job<?, ?> job, Instant oldestPoll) {
        if (oldestPoll == null) {
            return;
        }
        long since = oldestPoll.toEpochMilli() - SLACK_MILLIS;
        int read = 0;
        for (Run<?, ?> run : job.getBuilds()) {
            if (++read > MAX_BUILDS || run.getTimeInMillis() < since) {
                break;
            }
            for (Cause c : run.getCauses()) {
                if (c instanceof AzureBlobTriggerCause) {
                    // Newest first: the oldest build of a change wins, the one the change started.
                    byCause.put((AzureBlobTriggerCause) c, new BuildLink(run.getDisplayName(), run.getUrl()));
                }
            }
        }
    }

    @Override
    public BuildLink find(String container, String name, String etag) {
        return byCause.get(new AzureBlobTriggerCause(container, name, etag));
    }
}
