package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Everything needed to find a submitted run again: the service base URL, the workspace, the experiment and the
 * run id. Plain strings only, so a Jenkins step can persist it and rebuild it after a restart (see
 * {@link #fromEndpoint(String, String, String)}). Holds no credential.
 */
public final class RunReference implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String serviceBaseUrl;
    private final String subscriptionId;
    private final String resourceGroup;
    private final String workspaceName;
    private final String experimentName;
    private final String runId;

    public RunReference(String serviceBaseUrl, Workspace workspace, String experimentName, String runId) {
        this.serviceBaseUrl = Workspace.requireText(serviceBaseUrl, "serviceBaseUrl");
        this.subscriptionId = workspace.getSubscriptionId();
        this.resourceGroup = workspace.getResourceGroup();
        this.workspaceName = workspace.getName();
        this.experimentName = Workspace.requireText(experimentName, "experimentName");
        this.runId = Workspace.requireText(runId, "runId");
    }

    /**
     * Rebuilds a reference from what a step persists: the endpoint URL it submitted to, the experiment and the
     * run id. The URL is checked like {@link PipelineEndpoint#parse(String)}.
     */
    public static RunReference fromEndpoint(String endpointUrl, String experimentName, String runId) {
        return PipelineEndpoint.parse(endpointUrl).runReference(experimentName, runId);
    }

    /** Same as {@link #fromEndpoint(String, String, String)}, accepting loopback endpoints if asked to. */
    public static RunReference fromEndpoint(String endpointUrl, String experimentName, String runId,
                                            boolean allowInsecureLoopback) {
        return PipelineEndpoint.parse(endpointUrl, allowInsecureLoopback).runReference(experimentName, runId);
    }

    /** Scheme, host and port of the regional service, e.g. {@code https://westus.api.azureml.ms}. */
    public String getServiceBaseUrl() {
        return serviceBaseUrl;
    }

    public Workspace getWorkspace() {
        return new Workspace(subscriptionId, resourceGroup, workspaceName);
    }

    public String getExperimentName() {
        return experimentName;
    }

    public String getRunId() {
        return runId;
    }

    /** The run's page in Azure ML studio (the studio of the sovereign cloud for US Government and China). */
    public String studioUrl() {
        return "https://" + studioHost() + "/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                + "?wsid=" + getWorkspace().studioWsid();
    }

    private String studioHost() {
        if (serviceBaseUrl.endsWith(".api.ml.azure.us")) {
            return "ml.azure.us";
        }
        if (serviceBaseUrl.endsWith(".api.ml.azure.cn")) {
            return "studio.ml.azure.cn";
        }
        return "ml.azure.com";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunReference r && serviceBaseUrl.equals(r.serviceBaseUrl)
                && getWorkspace().equals(r.getWorkspace()) && experimentName.equals(r.experimentName)
                && runId.equals(r.runId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceBaseUrl, runId);
    }

    @Override
    public String toString() {
        return "run " + runId + " of experiment " + experimentName + " in workspace " + workspaceName;
    }
}
