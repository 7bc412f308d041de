package io.jenkins.plugins.azureml.blob;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One new or changed blob: a (name, ETag) pair the watch had not seen. Two changes are equal when container, name
 * and ETag are, so a queue can merge the same change reported twice but never two distinct ones.
 */
public final class BlobChange {
    /** The order changes are reported in: oldest Last-Modified first, then by name, then ETag. */
    public static final Comparator<BlobChange> REPORT_ORDER = Comparator.comparing(BlobChange::lastModified)
            .thenComparing(BlobChange::name).thenComparing(BlobChange::etag);

    private final String container;
    private final String name;
    private final String url;
    private final String etag;
    private final Instant lastModified;
    private final long size;
    private final String contentType;

    /**
     * @param container the container name
     * @param name the blob name, exactly as stored
     * @param url the blob's URL, name percent-encoded, no credentials
     * @param etag the ETag; surrounding quotes are removed
     * @param lastModified the service's Last-Modified (one-second precision)
     * @param size the content length in bytes
     * @param contentType the content type, or null
     */
    public BlobChange(String container, String name, String url, String etag, Instant lastModified, long size,
            String contentType) {
        this.container = Objects.requireNonNull(container, "container");
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.etag = normaliseEtag(Objects.requireNonNull(etag, "etag"));
        this.lastModified = Objects.requireNonNull(lastModified, "lastModified");
        this.size = size;
        this.contentType = contentType;
    }

    /**
     * Strips the quotes Azure puts around ETags in headers (Azurite omits them in listings), so both compare equal.
     *
     * @param etag an ETag as received
     * @return the ETag without surrounding quotes or a weak-validator prefix
     */
    public static String normaliseEtag(String etag) {
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        if (e.length() >= 2 && e.charAt(0) == '"' && e.charAt(e.length() - 1) == '"') {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    public String container() {
        return container;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public String etag() {
        return etag;
    }

    public Instant lastModified() {
        return lastModified;
    }

    public long size() {
        return size;
    }

    /** The content type, or null when the blob has none. */
    public String contentType() {
        return contentType;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BlobChange)) {
            return false;
        }
        BlobChange other = (BlobChange) o;
        return container.equals(other.container) && name.equals(other.name) && etag.equals(other.etag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(container, name, etag);
    }

    @Override
    public String toString() {
        return container + "/" + name + " (ETag " + etag + ", " + size + " bytes, " + lastModified + ")";
    }
}
