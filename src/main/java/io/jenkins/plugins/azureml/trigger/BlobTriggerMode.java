package io.jenkins.plugins.azureml.trigger;

/** How the {@code azureBlob} trigger turns the changes of one poll into builds. */
public enum BlobTriggerMode {
    /** One build per new or changed blob, with {@code AZURE_BLOB_NAME} and friends. */
    PER_BLOB("One build per new or changed blob"),
    /** One build per poll that found changes, with {@code AZURE_BLOB_COUNT} and a JSON manifest file. */
    BATCH("One build per poll, for all the blobs it found");

    private final String displayName;

    BlobTriggerMode(String displayName) {
        this.displayName = displayName;
    }

    /** The label the configuration form shows; the constant's name stays what a Jenkinsfile uses. */
    public String getDisplayName() {
        return displayName;
    }
}
