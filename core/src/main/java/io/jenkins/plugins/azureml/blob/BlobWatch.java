package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.InvalidFieldException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What to watch: a container in a storage account, a name prefix, glob filters and how to start. Immutable and
 * validated; build one with {@link #builder()}. Holds no secret: credentials are given to
 * {@link BlobContainerClientFactory} separately.
 */
public final class BlobWatch {
    /**
     * The default {@linkplain #lateArrivalMargin() late-arrival margin}: a single Put Blob of 256 MiB (the largest
     * one-shot upload of the Java and JavaScript SDKs by default) still fits at about 3.6 Mbit/s.
     */
    public static final Duration DEFAULT_LATE_ARRIVAL_MARGIN = Duration.ofMinutes(10);
    /** The shortest margin: one second of Last-Modified rounding on each side. */
    public static final Duration MIN_LATE_ARRIVAL_MARGIN = Duration.ofSeconds(2);
    /** The longest margin; the state holds the blobs modified within it, so it is bounded. */
    public static final Duration MAX_LATE_ARRIVAL_MARGIN = Duration.ofHours(24);
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}");

    private final String accountUrl;
    private final String container;
    private final String prefix;
    private final List<GlobPattern> includes;
    private final List<GlobPattern> excludes;
    private final boolean includeSubfolders;
    private final boolean ignoreEmptyBlobs;
    private final StartPosition startPosition;
    private final int maxChangesPerPoll;
    private final Duration lateArrivalMargin;
    private final String fingerprint;

    private BlobWatch(Builder b, List<GlobPattern> includes, List<GlobPattern> excludes) {
        this.accountUrl = b.accountUrl;
        this.container = b.container;
        this.prefix = b.prefix;
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.includeSubfolders = b.includeSubfolders;
        this.ignoreEmptyBlobs = b.ignoreEmptyBlobs;
        this.startPosition = b.startPosition;
        this.maxChangesPerPoll = b.maxChangesPerPoll;
        this.lateArrivalMargin = b.lateArrivalMargin;
        this.fingerprint = computeFingerprint();
    }

    /** A builder with the defaults: no prefix, all blobs, sub-folders included, empty blobs ignored, start now. */
    public static Builder builder() {
        return new Builder();
    }

    /** The account's blob endpoint, without a trailing '/' (e.g. {@code https://acct.blob.core.windows.net}). */
    public String accountUrl() {
        return accountUrl;
    }

    public String container() {
        return container;
    }

    /** The name prefix; empty for the whole container. */
    public String prefix() {
        return prefix;
    }

    public List<GlobPattern> includes() {
        return includes;
    }

    public List<GlobPattern> excludes() {
        return excludes;
    }

    public boolean includeSubfolders() {
        return includeSubfolders;
    }

    public boolean ignoreEmptyBlobs() {
        return ignoreEmptyBlobs;
    }

    public StartPosition startPosition() {
        return startPosition;
    }

    /** At most this many changes are reported by one poll, the rest by later polls; 0 means no limit. */
    public int maxChangesPerPoll() {
        return maxChangesPerPoll;
    }

    /**
     * How long after its Last-Modified a change may first become visible and still be reported. Azure stamps
     * Last-Modified when a write request starts (a Put Blob, a Put Block List, a metadata change), so a blob whose
     * single upload request lasts longer than this can be missed; the detector warns when it sees changes arrive
     * half this late. A longer margin only costs state size: the state keeps the blobs modified within it.
     */
    public Duration lateArrivalMargin() {
        return lateArrivalMargin;
    }

    /**
     * Whether a listed blob name passes the patterns. Patterns apply to the name relative to the prefix's folder
     * (the prefix up to and including its last '/'), so with prefix {@code in/} the pattern {@code *.csv} matches
     * {@code in/a.csv}. No include pattern means everything is included; an exclude wins over an include.
     *
     * @param blobName a full blob name starting with the prefix
     * @return true if the blob is watched
     */
    public boolean matches(String blobName) {
        String relative = blobName.substring(prefix.lastIndexOf('/') + 1);
        boolean included = includes.isEmpty();
        for (int i = 0; !included && i < includes.size(); i++) {
            included = includes.get(i).matches(relative);
        }
        for (int i = 0; included && i < excludes.size(); i++) {
            included = !excludes.get(i).matches(relative);
        }
        return included;
    }

    /**
     * A hash of everything that decides which blobs are watched (account, container, prefix, patterns,
     * sub-folders, empty blobs) but not of how to start, how many changes per poll or the late-arrival margin. A
     * saved state made for another fingerprint is not reused: a changed definition starts a new baseline. A new
     * margin needs none: the window only reaches further back (or less far) from the next poll on, and a blob
     * older than the window was listed by an earlier sweep either way.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private String computeFingerprint() {
        StringBuilder canonical = new StringBuilder();
        for (String part : List.of(accountUrl, container, prefix, includes.toString(), excludes.toString(),
                Boolean.toString(includeSubfolders), Boolean.toString(ignoreEmptyBlobs))) {
            canonical.append(part.length()).append(':').append(part).append(';');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "BlobWatch{" + accountUrl + "/" + container + "/" + prefix + ", includes=" + includes + ", excludes="
                + excludes + ", subfolders=" + includeSubfolders + ", ignoreEmpty=" + ignoreEmptyBlobs + ", start="
                + startPosition + ", maxChangesPerPoll=" + maxChangesPerPoll + ", lateArrivalMargin="
                + lateArrivalMargin + "}";
    }

    /** Builds a validated {@link BlobWatch}; {@link #build()} throws {@link InvalidFieldException}. */
    public static final class Builder {
        private String accountUrl;
        private String container;
        private String prefix = "";
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private boolean includeSubfolders = true;
        private boolean ignoreEmptyBlobs = true;
        private StartPosition startPosition = StartPosition.NOW;
        private int maxChangesPerPoll;
        private Duration lateArrivalMargin = DEFAULT_LATE_ARRIVAL_MARGIN;

        private Builder() {
        }

        /** The blob endpoint: https, or http on a loopback host (Azurite); path-style account paths allowed. */
        public Builder accountUrl(String accountUrl) {
            this.accountUrl = accountUrl;
            return this;
        }

        public Builder container(String container) {
            this.container = container;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix == null ? "" : prefix;
            return this;
        }

        /** Adds include globs; blank entries are rejected by {@link #build()}. */
        public Builder include(String... globs) {
            includes.addAll(List.of(globs));
            return this;
        }

        public Builder exclude(String... globs) {
            excludes.addAll(List.of(globs));
            return this;
        }

        public Builder includeSubfolders(boolean includeSubfolders) {
            this.includeSubfolders = includeSubfolders;
            return this;
        }

        public Builder ignoreEmptyBlobs(boolean ignoreEmptyBlobs) {
            this.ignoreEmptyBlobs = ignoreEmptyBlobs;
            return this;
        }

        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition == null ? StartPosition.NOW : startPosition;
            return this;
        }

        /** 0 (the default) for no limit. */
        public Builder maxChangesPerPoll(int maxChangesPerPoll) {
            this.maxChangesPerPoll = maxChangesPerPoll;
            return this;
        }

        /** See {@link BlobWatch#lateArrivalMargin()}; null for the default, 10 minutes. */
        public Builder lateArrivalMargin(Duration lateArrivalMargin) {
            this.lateArrivalMargin = lateArrivalMargin == null ? DEFAULT_LATE_ARRIVAL_MARGIN : lateArrivalMargin;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the watch
         * @throws InvalidFieldException naming the first bad field and how to fix it
         */
        public BlobWatch build() {
            accountUrl = validateAccountUrl(accountUrl);
            validateContainer(container);
            if (prefix.startsWith("/")) {
                throw new InvalidFieldException("prefix", "must not start with '/': blob names have no leading "
                        + "slash, write '" + prefix.replaceFirst("^/+", "") + "'");
            }
            if (prefix.length() > 1024) {
                throw new InvalidFieldException("prefix", "is longer than 1024 characters, the longest blob name");
            }
            if (maxChangesPerPoll < 0) {
                throw new InvalidFieldException("maxChangesPerPoll", "must be 0 (no limit) or a positive number");
            }
            if (lateArrivalMargin.compareTo(MIN_LATE_ARRIVAL_MARGIN) < 0
                    || lateArrivalMargin.compareTo(MAX_LATE_ARRIVAL_MARGIN) > 0) {
                throw new InvalidFieldException("lateArrivalMargin", "must be between 2 seconds and 24 hours (1 to "
                        + "1440 minutes), not " + lateArrivalMargin.toSeconds() + " seconds; the default is 10 "
                        + "minutes. It must exceed your slowest single upload request");
            }
            List<GlobPattern> in = new ArrayList<>();
            includes.forEach(g -> in.add(GlobPattern.compile("include", g)));
            List<GlobPattern> ex = new ArrayList<>();
            excludes.forEach(g -> ex.add(GlobPattern.compile("exclude", g)));
            return new BlobWatch(this, in, ex);
        }

        private static String validateAccountUrl(String url) {
            String field = "accountUrl";
            if (url == null || url.isBlank()) {
                throw new InvalidFieldException(field, "is empty; give the blob endpoint, e.g. "
                        + "https://<account>.blob.core.windows.net");
            }
            URI uri;
            try {
                uri = new URI(url.trim());
            } catch (URISyntaxException e) {
                throw new InvalidFieldException(field, "is not a URL; give the blob endpoint, e.g. "
                        + "https://<account>.blob.core.windows.net");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                // Never echo the query: it may be a SAS token.
                throw new InvalidFieldException(field, "must not carry a query or fragment; put a SAS token in a "
                        + "credential, not in the URL");
            }
            if (uri.getRawUserInfo() != null) {
                // Never echo it: "user:password@" would end up in every polling log line.
                throw new InvalidFieldException(field, "must not contain a user name or '@' before the host; give "
                        + "the blob endpoint, e.g. https://<account>.blob.core.windows.net, and put secrets in a "
                        + "credential");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new InvalidFieldException(field, "'" + url + "' is not an https URL with a host; give the "
                        + "blob endpoint, e.g. https://<account>.blob.core.windows.net");
            }
            if (scheme.equals("http") && !isLoopback(host)) {
                throw new InvalidFieldException(field, "must use https (plain http is accepted only for a local "
                        + "emulator on 127.0.0.1/localhost)");
            }
            String normalised = uri.toString();
            while (normalised.endsWith("/")) {
                normalised = normalised.substring(0, normalised.length() - 1);
            }
            return normalised;
        }

        private static boolean isLoopback(String host) {
            return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("[::1]");
        }

        private static void validateContainer(String name) {
            if (name == null || name.isEmpty()) {
                throw new InvalidFieldException("container", "is empty; give the name of the blob container to "
                        + "watch");
            }
            if (!CONTAINER_NAME.matcher(name).matches()) {
                throw new InvalidFieldException("container", "'" + name + "' is not a valid container name: use "
                        + "3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or "
                        + "digit");
            }
        }
    }
}
