package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.util.Objects;

/** The value of a pipeline's datapath parameter: a path inside a registered datastore. */
public final class DataPathAssignment implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String datastoreName;
    private final String relativePath;

    public DataPathAssignment(String datastoreName, String relativePath) {
        this.datastoreName = Workspace.requireText(datastoreName, "datastoreName");
        this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
    }

    public String getDatastoreName() {
        return datastoreName;
    }

    public String getRelativePath() {
        return relativePath;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataPathAssignment d && datastoreName.equals(d.datastoreName)
                && relativePath.equals(d.relativePath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(datastoreName, relativePath);
    }

    @Override
    public String toString() {
        return datastoreName + ":" + relativePath;
    }
}
