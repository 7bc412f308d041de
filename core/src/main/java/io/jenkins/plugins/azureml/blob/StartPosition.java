package io.jenkins.plugins.azureml.blob;

/** Where a watch starts when it has no saved state yet. */
public enum StartPosition {
    /** The first poll records what exists as a baseline and reports nothing; later blobs are changes. */
    NOW,
    /** The first poll reports every matching blob that exists. */
    BEGINNING
}
