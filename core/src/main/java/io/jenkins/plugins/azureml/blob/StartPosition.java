package io.jenkins.plugins.azureml.blob;

/** Where a watch starts when it has no saved state yet. */
public enum StartPosition {
    /** The first poll records what exists as a baseline and reports nothing; later blobs are changes. */
    NOW("New blobs only: what exists at the first poll is the baseline"),
    /** The first poll reports every matching blob that exists. */
    BEGINNING("Every blob: the first poll also reports the blobs already there");

    private final String displayName;

    StartPosition(String displayName) {
        this.displayName = displayName;
    }

    /** The label a configuration form shows; the constant's name stays what a Jenkinsfile uses. */
    public String getDisplayName() {
        return displayName;
    }
}
