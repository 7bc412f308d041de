package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Everything needed to find a submitted run again: the service base URL, the workspace, the experiment and the
 * run id; for an Azure ML v2 batch job also the Azure Resource Manager URL its status and cancel go to. Plain
 * strings only, so a Jenkins step can persist it and rebuild it after a restart (see
 * {@link #fromEndpoint(String, String, String, String, boolean)}). Holds no credential.
 */
public final class RunReference implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String serviceBaseUrl;
    private final String subscriptionId;
    private final String resourceGroup;
    private final String workspaceName;
    private final String experimentName;
    private final String runId;
    /** Null for a v1 pipeline run (and in references saved before v2 support). */
    private final String resourceManagerUrl;

    /** A v1 pipeline run. */
    public RunReference(String serviceBaseUrl, Workspace workspace, String experimentName, String runId) {
        this(serviceBaseUrl, null, workspace, experimentName, runId);
    }

    private RunReference(String serviceBaseUrl, String resourceManagerUrl, Workspace workspace, String experimentName,
                         String runId) {
        this.serviceBaseUrl = Workspace.requireText(serviceBaseUrl, "serviceBaseUrl");
        this.resourceManagerUrl = resourceManagerUrl;
        this.subscriptionId = workspace.getSubscriptionId();
        this.resourceGroup = workspace.getResourceGroup();
        this.workspaceName = workspace.getName();
        this.experimentName = Workspace.requireText(experimentName, "experimentName");
        this.runId = Workspace.requireText(runId, "runId");
    }

    /**
     * A v2 batch job.
     *
     * @param historyBaseUrl the region's run history service, e.g. {@code https://westus.api.azureml.ms}
     * @param resourceManagerUrl Azure Resource Manager of the workspace's cloud, e.g. {@code https://management.azure.com}
     */
    public static RunReference forBatchJob(String historyBaseUrl, String resourceManagerUrl, Workspace workspace,
                                           String experimentName, String jobName) {
        return new RunReference(historyBaseUrl, Workspace.requireText(resourceManagerUrl, "resourceManagerUrl"),
                workspace, experimentName, jobName);
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

    /**
     * Rebuilds a reference from the endpoint URL, the workspace resource id (required for a v2 batch endpoint,
     * optional for v1; may be null), the experiment and the run id or job name. Checked like
     * {@link PipelineEndpoint#parse(String, String, boolean)}.
     */
    public static RunReference fromEndpoint(String endpointUrl, String experimentName, String runId,
                                            String workspaceResourceId) {
        return fromEndpoint(endpointUrl, experimentName, runId, workspaceResourceId, false);
    }

    /** Same as {@link #fromEndpoint(String, String, String, String)}, accepting loopback endpoints if asked to. */
    public static RunReference fromEndpoint(String endpointUrl, String experimentName, String runId,
                                            String workspaceResourceId, boolean allowInsecureLoopback) {
        return PipelineEndpoint.parse(endpointUrl, workspaceResourceId, allowInsecureLoopback)
                .runReference(experimentName, runId);
    }

    /**
     * Scheme, host and port of the regional service, e.g. {@code https://westus.api.azureml.ms}: where a v1 run is
     * read and canceled, and where a v2 job's error message is read from run history.
     */
    public String getServiceBaseUrl() {
        return serviceBaseUrl;
    }

    /** Whether this is an Azure ML v2 batch job, followed through Azure Resource Manager. */
    public boolean isBatchJob() {
        return resourceManagerUrl != null;
    }

    /** Azure Resource Manager of the workspace's cloud for a v2 batch job, e.g. {@code https://management.azure.com}; null for v1. */
    public String getResourceManagerUrl() {
        return resourceManagerUrl;
    }

    public Workspace getWorkspace() {
        return new Workspace(subscriptionId, resourceGroup, workspaceName);
    }

    public String getExperimentName() {
        return experimentName;
    }

    /** The v1 run id or the v2 job name; the same id names the run in run history and Azure ML studio. */
    public String getRunId() {
        return runId;
    }

    /** The run's page in Azure ML studio (the studio of the sovereign cloud for US Government and China). */
    public String studioUrl() {
        return "https://" + studioHost() + "/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8)
                + "?wsid=" + getWorkspace().studioWsid();
    }

    /** The studio of the service host's cloud; the public studio for loopback (tests, local trials). */
    private String studioHost() {
        String host = java.net.URI.create(serviceBaseUrl).getHost();
        return AzureCloud.ofHost(host).orElse(AzureCloud.PUBLIC).studioHost();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunReference r && serviceBaseUrl.equals(r.serviceBaseUrl)
                && Objects.equals(resourceManagerUrl, r.resourceManagerUrl)
                && getWorkspace().equals(r.getWorkspace()) && experimentName.equals(r.experimentName)
                && runId.equals(r.runId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceBaseUrl, runId);
    }

    @Override
    public String toString() {
        return (isBatchJob() ? "job " : "run ") + runId + " of experiment " + experimentName + " in workspace " + workspaceName;
    }
}
