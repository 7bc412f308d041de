package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.client.models.Workspace;

/** One call of the client, described for error messages: what was attempted, on what, in which workspace. */
public final class Operation {
    /** The calls; submission is the only one that must never be repeated blindly. */
    public enum Kind { SUBMIT, GET_RUN, CANCEL_RUN, GET_METRICS }

    private final Kind kind;
    private final String target;
    private final Workspace workspace;
    private final boolean batchEndpoint;

    /** A v1 call. */
    public Operation(Kind kind, String target, Workspace workspace) {
        this(kind, target, workspace, false);
    }

    /** @param batchEndpoint whether it concerns a v2 batch endpoint or job (changes the advice in messages) */
    public Operation(Kind kind, String target, Workspace workspace, boolean batchEndpoint) {
        this.kind = kind;
        this.target = target;
        this.workspace = workspace;
        this.batchEndpoint = batchEndpoint;
    }

    public boolean batchEndpoint() {
        return batchEndpoint;
    }

    public Kind kind() {
        return kind;
    }

    /** e.g. "published pipeline 1234", "run abc", "batch endpoint nightly" or "job abc". */
    public String target() {
        return target;
    }

    public Workspace workspace() {
        return workspace;
    }

    /** e.g. "submit published pipeline 1234". */
    public String describe() {
        switch (kind) {
            case SUBMIT: return "submit " + target;
            case GET_RUN: return "read the status of " + target;
            case GET_METRICS: return "read the metrics of " + target;
            default: return "cancel " + target;
        }
    }
}
