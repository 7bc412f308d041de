package io.jenkins.plugins.azureml.client.models;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workspace's MLflow tracking service: the regional Azure ML host plus the workspace, as in the studio's "MLflow
 * tracking URI" ({@code azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/.../workspaces/<ws>}). Its REST
 * API is {@code https://<host>/mlflow/v1.0/<workspace path>/api/2.0/mlflow/<method>} (contracts section 8) and takes
 * the same ARM-scope token as the v1 services. Created only through {@link #parse}, which refuses any host that may
 * not receive a token.
 */
public final class MlflowTracking {
    /** What {@link #parse} accepts as {@code workspace} when there is no endpoint. */
    public static final String TRACKING_URI_EXAMPLE = "azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/"
            + "<subscription id>/resourceGroups/<resource group>/providers/Microsoft.MachineLearningServices/"
            + "workspaces/<workspace name>";

    private static final Pattern TRACKING_PATH = Pattern.compile("/mlflow/v1\\.0/subscriptions/([^/]+)/resourceGroups/"
            + "([^/]+)/providers/Microsoft\\.MachineLearningServices/workspaces/([^/]+)/?", Pattern.CASE_INSENSITIVE);
    /** Placeholder experiment: a {@link RunReference} needs one, the region host it yields does not depend on it. */
    private static final String ANY_EXPERIMENT = "metrics";

    private final String serviceBaseUrl;
    private final Workspace workspace;

    private MlflowTracking(String serviceBaseUrl, Workspace workspace) {
        this.serviceBaseUrl = serviceBaseUrl;
        this.workspace = workspace;
    }

    /**
     * Where the metrics of a run live, from what a Pipeline author has at hand.
     *
     * @param endpoint the endpoint the run was submitted to (a v1 submit URL names region and workspace; a v2 batch
     *     endpoint's scoring URI names the region and needs {@code workspace} as resource id); may be blank
     * @param workspace without an endpoint: the workspace's MLflow tracking URI; with a v2 endpoint: the workspace's
     *     resource id; with a v1 endpoint: optional, its resource id; may be blank
     * @throws InvalidFieldException for field {@code endpoint} or {@code workspace}, saying what to write
     */
    public static MlflowTracking parse(String endpoint, String workspace, boolean allowInsecureLoopback) {
        String ws = blankToNull(workspace);
        if (blankToNull(endpoint) != null) {
            if (ws != null && ws.contains("://")) {
                throw new InvalidFieldException("workspace", "With endpoint, give workspace as the workspace's"
                        + " resource id (" + Workspace.RESOURCE_ID_EXAMPLE + "), or remove endpoint and keep the"
                        + " tracking URI, which names the region and the workspace itself.");
            }
            // The run reference of any run of the endpoint names the region's service host and the workspace.
            RunReference any = PipelineEndpoint.parse(endpoint.trim(), ws, allowInsecureLoopback)
                    .runReference(ANY_EXPERIMENT, "run");
            return new MlflowTracking(any.getServiceBaseUrl(), any.getWorkspace());
        }
        if (ws == null) {
            throw new InvalidFieldException("endpoint", "Say where the run is: endpoint (the endpoint it was"
                    + " submitted to, e.g. run.endpoint from triggerAzureMlPipeline) or workspace (the workspace's"
                    + " MLflow tracking URI, " + TRACKING_URI_EXAMPLE + ").");
        }
        if (!ws.contains("://")) {
            Workspace.parseResourceId(ws); // a malformed id gets the resource id message
            throw new InvalidFieldException("workspace", "A workspace resource id does not say the workspace's"
                    + " region. Add endpoint (the endpoint the run was submitted to) or give workspace as the"
                    + " workspace's MLflow tracking URI, " + TRACKING_URI_EXAMPLE + " (Azure ML studio: the"
                    + " workspace menu > View all properties > MLflow tracking URI, or az ml workspace show --query"
                    + " mlflow_tracking_uri).");
        }
        return parseTrackingUri(ws, allowInsecureLoopback);
    }

    /** The tracking service of a run's region and workspace (its step runs are child runs there). */
    public static MlflowTracking of(RunReference run) {
        return new MlflowTracking(run.getServiceBaseUrl(), run.getWorkspace());
    }

    private static MlflowTracking parseTrackingUri(String uri, boolean allowInsecureLoopback) {
        String url = uri.regionMatches(true, 0, "azureml://", 0, 10) ? "https://" + uri.substring(10) : uri;
        EndpointRules rules = new EndpointRules(allowInsecureLoopback);
        URI checked;
        try {
            checked = rules.check(url);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException("workspace", "The MLflow tracking URI '" + uri + "' is not an Azure ML"
                    + " host over https. Use " + TRACKING_URI_EXAMPLE + ".");
        }
        EndpointRules.HostFamily family = rules.family(checked);
        Matcher m = TRACKING_PATH.matcher(checked.getPath() == null ? "" : checked.getPath());
        if (family == EndpointRules.HostFamily.INFERENCE || family == EndpointRules.HostFamily.RESOURCE_MANAGER
                || !m.matches() || checked.getRawQuery() != null) {
            throw new InvalidFieldException("workspace", "'" + uri + "' is not a workspace's MLflow tracking URI."
                    + " Use " + TRACKING_URI_EXAMPLE + ".");
        }
        String base = checked.getScheme().toLowerCase(Locale.ROOT) + "://" + checked.getHost().toLowerCase(Locale.ROOT)
                + (checked.getPort() == -1 ? "" : ":" + checked.getPort());
        return new MlflowTracking(base, new Workspace(m.group(1), m.group(2), m.group(3)));
    }

    /** Scheme, host and port of the regional service, e.g. {@code https://westus.api.azureml.ms}. */
    public String getServiceBaseUrl() {
        return serviceBaseUrl;
    }

    public Workspace getWorkspace() {
        return workspace;
    }

    /** {@code https://<host>/mlflow/v1.0/<workspace path>/api/2.0/mlflow/<method>}, e.g. method {@code runs/get}. */
    public String apiUrl(String method) {
        return serviceBaseUrl + "/mlflow/v1.0/" + workspace.servicePath() + "/api/2.0/mlflow/" + method;
    }

    /** The run's page in Azure ML studio (the sovereign cloud's studio for US Government and China). */
    public String studioUrl(String runId) {
        return new RunReference(serviceBaseUrl, workspace, ANY_EXPERIMENT, runId).studioUrl();
    }

    /** The studio's form of this tracking service, {@code azureml://<host>/mlflow/v1.0/<workspace path>}. */
    @Override
    public String toString() {
        return serviceBaseUrl.replaceFirst("^https?://", "azureml://") + "/mlflow/v1.0/" + workspace.servicePath();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
