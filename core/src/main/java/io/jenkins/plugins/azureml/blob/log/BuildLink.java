package io.jenkins.plugins.azureml.blob.log;

import java.util.Objects;

/** A build as the polling log links it: its label ({@code #12}) and its URL relative to the Jenkins root. */
public final class BuildLink {
    private final String label;
    private final String url;

    /**
     * @param label what to show, e.g. {@code #12}
     * @param url the build's URL relative to the Jenkins root, e.g. {@code job/p/12/}
     */
    public BuildLink(String label, String url) {
        this.label = Objects.requireNonNull(label, "label");
        this.url = Objects.requireNonNull(url, "url");
    }

    public String getLabel() {
        return label;
    }

    public String getUrl() {
        return url;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildLink other && label.equals(other.label) && url.equals(other.url);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, url);
    }

    @Override
    public String toString() {
        return label + " (" + url + ")";
    }
}
