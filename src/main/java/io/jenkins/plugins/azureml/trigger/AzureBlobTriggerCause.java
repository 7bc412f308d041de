package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Cause;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.log.LogEscaper;
import io.jenkins.plugins.azureml.blob.log.PollingLogView;
import java.util.Objects;
import jenkins.model.ParameterizedJobMixIn;
import org.kohsuke.stapler.export.Exported;

/**
 * Why a build started: one blob change (container, name, ETag). A batch build carries one cause per blob. Equal
 * causes describe the same change (container, name and ETag; URL and size are description), so the recent-build
 * de-duplication and the queue can recognise it. Its {@code description.jelly} links the blob's URL and the
 * polling log row of the change. Holds no secret: it is saved in build.xml and exported by the REST API; the URL is
 * the blob's plain URL, which carries no SAS or key.
 */
public final class AzureBlobTriggerCause extends Cause {
    private final String container;
    private final String blobName;
    private final String etag;
    /** Null in builds of earlier plugin versions. */
    @CheckForNull
    private final String url;
    /** Null in builds of earlier plugin versions. */
    @CheckForNull
    private final Long size;
    /** The build's job, once the cause is attached or loaded, for the polling log link. */
    @CheckForNull
    private transient Job<?, ?> job;

    public AzureBlobTriggerCause(@NonNull String container, @NonNull String blobName, @NonNull String etag) {
        this(container, blobName, etag, null, null);
    }

    /**
     * @param container the container
     * @param blobName the exact blob name
     * @param etag the ETag
     * @param url the blob's URL, or null
     * @param size the blob's size in bytes, or null
     */
    public AzureBlobTriggerCause(@NonNull String container, @NonNull String blobName, @NonNull String etag,
            @CheckForNull String url, @CheckForNull Long size) {
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        this.etag = Objects.requireNonNull(etag, "etag");
        this.url = url;
        this.size = size;
    }

    /** The cause of a build for the given change. */
    static AzureBlobTriggerCause of(BlobChange change) {
        return new AzureBlobTriggerCause(change.container(), change.name(), change.etag(), change.url(),
                change.size());
    }

    @Exported(visibility = 3)
    public String getContainer() {
        return container;
    }

    @Exported(visibility = 3)
    public String getBlobName() {
        return blobName;
    }

    @Exported(visibility = 3)
    public String getEtag() {
        return etag;
    }

    /** The blob's URL (as {@code AZURE_BLOB_URL}), or null for builds of earlier versions. */
    @Exported(visibility = 3)
    @CheckForNull
    public String getUrl() {
        return url;
    }

    /** The blob's size in bytes, or null for builds of earlier versions. */
    @Exported(visibility = 3)
    @CheckForNull
    public Long getSize() {
        return size;
    }

    /** {@code container/name} with the characters that could make it read as another name escaped. */
    public String getDisplayName() {
        return container + "/" + LogEscaper.blobName(blobName);
    }

    /**
     * The change's row on the job's polling log page, relative to the Jenkins root, or null when unknown (the
     * build's job is not known yet, or no longer has the trigger).
     */
    @CheckForNull
    public String getPollingLogUrl() {
        Job<?, ?> j = job;
        if (j == null || ParameterizedJobMixIn.getTrigger(j, AzureBlobTrigger.class) == null) {
            return null;
        }
        return j.getUrl() + "azureBlobPollLog/#" + PollingLogView.changeAnchor(container, blobName, etag);
    }

    @Override
    public void onAddedTo(@NonNull Run build) {
        job = build.getParent();
    }

    @Override
    public void onLoad(@NonNull Run<?, ?> build) {
        job = build.getParent();
    }

    /** Whether this cause records the given change. */
    boolean isFor(BlobChange change) {
        return container.equals(change.container()) && blobName.equals(change.name()) && etag.equals(change.etag());
    }

    @Override
    public String getShortDescription() {
        // Plain text (Jenkins escapes it); control and invisible characters escaped so the name reads as itself.
        return "Started by Azure Blob change: " + getDisplayName();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AzureBlobTriggerCause)) {
            return false;
        }
        AzureBlobTriggerCause other = (AzureBlobTriggerCause) o;
        return container.equals(other.container) && blobName.equals(other.blobName) && etag.equals(other.etag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, blobName, etag);
    }
}
