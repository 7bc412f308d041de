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
    private final String experimentName;
    private final String buildTag;

    /** A v1 call. */
    public Operation(Kind kind, String target, Workspace workspace) {
        this(kind, target, workspace, false);
    }

    /** @param batchEndpoint whether it concerns a v2 batch endpoint or job (changes the advice in messages) */
    public Operation(Kind kind, String target, Workspace workspace, boolean batchEndpoint) {
        this(kind, target, workspace, batchEndpoint, null, null);
    }

    private Operation(Kind kind, String target, Workspace workspace, boolean batchEndpoint, String experimentName,
                      String buildTag) {
        this.kind = kind;
        this.target = target;
        this.workspace = workspace;
        this.batchEndpoint = batchEndpoint;
        this.experimentName = experimentName;
        this.buildTag = buildTag;
    }

    /**
     * A submission, with what finds its run in studio if the answer is lost.
     *
     * @param buildTag the value of the build tag the run carries, or null (none, or a batch job, which has no tags)
     */
    public static Operation submit(String target, Workspace workspace, boolean batchEndpoint, String experimentName,
                                   String buildTag) {
        return new Operation(Kind.SUBMIT, target, workspace, batchEndpoint, experimentName, buildTag);
    }

    /** The experiment a submission runs in; null for other calls. */
    public String experimentName() {
        return experimentName;
    }

    /** The build tag value ({@code jenkins-build}) of a submitted run, or null. */
    public String buildTag() {
        return buildTag;
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
