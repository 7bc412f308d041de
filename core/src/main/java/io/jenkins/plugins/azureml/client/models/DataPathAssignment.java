package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.util.Objects;

/**
 * The value of a pipeline's datapath parameter (v1) or data input/output (v2): a path inside a registered datastore.
 * v1 sends datastore and path as they are. v2 sends the URI {@code azureml://datastores/{datastore}/paths/{path}}
 * with job input type {@code UriFolder} by default, or {@code UriFile} when made with {@link #file}: a path alone
 * cannot tell a folder from a file (folders need not end with '/'), so the choice is explicit.
 */
public final class DataPathAssignment implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a v2 job receives the path; v1 has no such distinction and ignores it. */
    public enum Type {
        /** {@code UriFolder}: the default, what a v1 datapath usually is. */
        URI_FOLDER("UriFolder"),
        /** {@code UriFile}: a single file. */
        URI_FILE("UriFile");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The v2 {@code JobInputType}/{@code JobOutputType} value. */
        public String wireName() {
            return wireName;
        }
    }

    private final String datastoreName;
    private final String relativePath;
    /** Null in assignments saved before v2 support: a folder. */
    private final Type type;

    /** A folder (v2 {@code UriFolder}). */
    public DataPathAssignment(String datastoreName, String relativePath) {
        this(datastoreName, relativePath, Type.URI_FOLDER);
    }

    public DataPathAssignment(String datastoreName, String relativePath, Type type) {
        this.datastoreName = Workspace.requireText(datastoreName, "datastoreName");
        this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A single file (v2 {@code UriFile}). */
    public static DataPathAssignment file(String datastoreName, String relativePath) {
        return new DataPathAssignment(datastoreName, relativePath, Type.URI_FILE);
    }

    public String getDatastoreName() {
        return datastoreName;
    }

    public String getRelativePath() {
        return relativePath;
    }

    public Type getType() {
        return type == null ? Type.URI_FOLDER : type;
    }

    /** The v2 data URI, {@code azureml://datastores/{datastore}/paths/{path}} (leading '/' of the path dropped). */
    public String azureMlUri() {
        return "azureml://datastores/" + datastoreName + "/paths/" + relativePath.replaceFirst("^/+", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataPathAssignment d && datastoreName.equals(d.datastoreName)
                && relativePath.equals(d.relativePath) && getType() == d.getType();
    }

    @Override
    public int hashCode() {
        return Objects.hash(datastoreName, relativePath, getType());
    }

    @Override
    public String toString() {
        return datastoreName + ":" + relativePath + (getType() == Type.URI_FILE ? " (file)" : "");
    }
}
