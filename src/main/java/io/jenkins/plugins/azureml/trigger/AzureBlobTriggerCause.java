package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Cause;
import io.jenkins.plugins.azureml.blob.BlobChange;
import java.util.Objects;
import org.kohsuke.stapler.export.Exported;

/**
 * Why a build started: one blob change (container, name, ETag). A batch build carries one cause per blob. Equal
 * causes describe the same change, so the recent-build de-duplication and the queue can recognise it. Holds no
 * URL and no secret: it is saved in build.xml and exported by the REST API.
 */
public final class AzureBlobTriggerCause extends Cause {
    private final String container;
    private final String blobName;
    private final String etag;

    public AzureBlobTriggerCause(@NonNull String container, @NonNull String blobName, @NonNull String etag) {
        this.container = Objects.requireNonNull(container, "container");
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        this.etag = Objects.requireNonNull(etag, "etag");
    }

    /** The cause of a build for the given change. */
    static AzureBlobTriggerCause of(BlobChange change) {
        return new AzureBlobTriggerCause(change.container(), change.name(), change.etag());
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

    /** Whether this cause records the given change. */
    boolean isFor(BlobChange change) {
        return container.equals(change.container()) && blobName.equals(change.name()) && etag.equals(change.etag());
    }

    @Override
    public String getShortDescription() {
        // Plain text: Jenkins escapes short descriptions, so any blob name is shown as data.
        return "Started by Azure Blob change: " + container + "/" + blobName;
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
