package io.jenkins.plugins.azureml.client.models;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a pipeline run is submitted. Azure ML v1: a published pipeline ({@code .../PipelineRuns/PipelineSubmit/{id}})
 * or a versioned pipeline endpoint by id ({@code .../PipelineEndpointSubmit/Id/{id}[/{version}]}) or by name
 * ({@code .../PipelineEndpointSubmit/Name?name={name}[&pipelineVersion={v}]}). Azure ML v2: a batch endpoint with a
 * pipeline component deployment, by its scoring URI ({@code https://{endpoint}.{region}.inference.ml.azure.com/jobs})
 * plus the workspace resource id, which the scoring URI does not contain but following the job through Azure
 * Resource Manager needs. {@link #parse(String, String, boolean)} tells them apart by the URL. Created only through
 * the {@code parse} methods or {@link #forEndpointName}, which refuse any host that is not an Azure ML host.
 */
public final class PipelineEndpoint {
    /** The three v1 URL shapes of contracts section 1, and the v2 batch endpoint of section 3. */
    public enum Kind { PUBLISHED_PIPELINE, ENDPOINT_BY_ID, ENDPOINT_BY_NAME, BATCH_ENDPOINT }

    private static final Pattern BATCH_PATH = Pattern.compile("/jobs/?");
    private static final Pattern PATH = Pattern.compile(
            "/pipelines/v1\\.0/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
                    + "Microsoft\\.MachineLearningServices/workspaces/([^/]+)/PipelineRuns/"
                    + "(?:PipelineSubmit/([^/]+)|PipelineEndpointSubmit/Id/([^/]+)(?:/([^/]+))?"
                    + "|PipelineEndpointSubmit/Name)/?",
            Pattern.CASE_INSENSITIVE);

    private final String serviceBaseUrl;
    private final Workspace workspace;
    private final Kind kind;
    private final String id;
    private final String version;
    private final BatchEndpointHosts batch;
    private final String deployment;

    private PipelineEndpoint(String serviceBaseUrl, Workspace workspace, Kind kind, String id, String version,
                             BatchEndpointHosts batch, String deployment) {
        this.serviceBaseUrl = serviceBaseUrl;
        this.workspace = workspace;
        this.kind = kind;
        this.id = id;
        this.version = version;
        this.batch = batch;
        this.deployment = deployment;
    }

    private PipelineEndpoint(String serviceBaseUrl, Workspace workspace, Kind kind, String id, String version) {
        this(serviceBaseUrl, workspace, kind, id, version, null, null);
    }

    /**
     * Parses a v1 submit URL as shown by Azure ML studio, or a v2 batch endpoint scoring URI (which then fails
     * asking for the workspace, see {@link #parse(String, String, boolean)}). Only Azure ML hosts over https.
     */
    public static PipelineEndpoint parse(String url) {
        return parse(url, null, false);
    }

    /**
     * Parses a submit URL; with {@code allowInsecureLoopback} also {@code http(s)://127.0.0.1|localhost|[::1]:port}
     * (tests and local trials against the simulator only).
     *
     * @throws InvalidFieldException for field {@code endpoint}
     */
    public static PipelineEndpoint parse(String url, boolean allowInsecureLoopback) {
        return parse(url, null, allowInsecureLoopback);
    }

    /** {@link #parse(String, String, boolean)} without loopback. */
    public static PipelineEndpoint parse(String url, String workspaceResourceId) {
        return parse(url, workspaceResourceId, false);
    }

    /**
     * Parses a v1 submit URL or a v2 batch endpoint scoring URI.
     *
     * @param workspaceResourceId {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/
     *     Microsoft.MachineLearningServices/workspaces/{name}}: required for a v2 batch endpoint; optional for v1,
     *     where it must then name the workspace of the URL
     * @throws InvalidFieldException for field {@code endpoint} (bad URL) or {@code workspace} (missing for v2,
     *     malformed, or not the v1 URL's workspace)
     */
    public static PipelineEndpoint parse(String url, String workspaceResourceId, boolean allowInsecureLoopback) {
        EndpointRules rules = new EndpointRules(allowInsecureLoopback);
        URI uri = rules.check(url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        EndpointRules.HostFamily family = rules.family(uri);
        boolean loopbackJobs = family == EndpointRules.HostFamily.LOOPBACK && BATCH_PATH.matcher(path).matches();
        if (family == EndpointRules.HostFamily.INFERENCE || loopbackJobs) {
            return parseBatch(uri, path, workspaceResourceId);
        }
        if (family == EndpointRules.HostFamily.RESOURCE_MANAGER) {
            throw notAServiceHost(uri);
        }
        PipelineEndpoint v1 = parseV1(uri, path);
        if (workspaceResourceId != null && !workspaceResourceId.isBlank()
                && !Workspace.parseResourceId(workspaceResourceId).equals(v1.workspace)) {
            throw new InvalidFieldException("workspace", "The workspace '" + workspaceResourceId.trim()
                    + "' is not the workspace of the v1 endpoint URL (" + v1.workspace.resourceId() + "). A v1"
                    + " endpoint URL names its workspace itself: remove the workspace argument or correct it.");
        }
        return v1;
    }

    private static PipelineEndpoint parseBatch(URI uri, String path, String workspaceResourceId) {
        if (!BATCH_PATH.matcher(path).matches()) {
            throw new InvalidFieldException("endpoint", "A batch endpoint URL must be its REST endpoint (scoring"
                    + " URI), ending in /jobs: https://<endpoint>.<region>.inference.ml.azure.com/jobs, as shown by"
                    + " Azure ML studio under Endpoints > Batch endpoints > Details.");
        }
        if (uri.getRawQuery() != null) {
            throw new InvalidFieldException("endpoint", "A batch endpoint URL takes no query ('?...'): use"
                    + " https://<endpoint>.<region>.inference.ml.azure.com/jobs.");
        }
        if (workspaceResourceId == null || workspaceResourceId.isBlank()) {
            throw new InvalidFieldException("workspace", "The endpoint is an Azure ML v2 batch endpoint; following"
                    + " its jobs needs the workspace, which the endpoint URL does not contain. Add workspace: '"
                    + Workspace.RESOURCE_ID_EXAMPLE + "' (Azure portal: the workspace's JSON view, or"
                    + " az ml workspace show --query id).");
        }
        Workspace ws = Workspace.parseResourceId(workspaceResourceId);
        String base = baseUrl(uri);
        BatchEndpointHosts hosts = BatchEndpointHosts.of(uri.getHost(), base);
        return new PipelineEndpoint(base, ws, Kind.BATCH_ENDPOINT, hosts.endpointName(), null, hosts, null);
    }

    private static PipelineEndpoint parseV1(URI uri, String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new InvalidFieldException("endpoint", "The endpoint URL path is not a pipeline submit URL. "
                    + EndpointRules.EXAMPLE + " Versioned pipeline endpoints end with"
                    + " /PipelineRuns/PipelineEndpointSubmit/Id/<endpoint id>[/<version>] or"
                    + " /PipelineRuns/PipelineEndpointSubmit/Name?name=<endpoint name>.");
        }
        Workspace ws = new Workspace(m.group(1), m.group(2), m.group(3));
        String base = baseUrl(uri);
        if (m.group(4) != null) {
            return new PipelineEndpoint(base, ws, Kind.PUBLISHED_PIPELINE, m.group(4), null);
        }
        if (m.group(5) != null) {
            return new PipelineEndpoint(base, ws, Kind.ENDPOINT_BY_ID, m.group(5), m.group(6));
        }
        Map<String, String> query = query(uri.getRawQuery());
        String name = query.get("name");
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("endpoint", "A PipelineEndpointSubmit/Name URL needs the endpoint name"
                    + " as query parameter, e.g. .../PipelineEndpointSubmit/Name?name=my-endpoint.");
        }
        return new PipelineEndpoint(base, ws, Kind.ENDPOINT_BY_NAME, name, emptyToNull(query.get("pipelineVersion")));
    }

    /**
     * A versioned pipeline endpoint addressed by name.
     *
     * @param serviceBaseUrl the regional service, e.g. {@code https://westus.api.azureml.ms}
     * @param version the pipeline version, or null for the endpoint's default version
     */
    public static PipelineEndpoint forEndpointName(String serviceBaseUrl, Workspace workspace, String name,
                                                   String version) {
        Objects.requireNonNull(workspace, "workspace");
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("endpoint", "The pipeline endpoint name is empty.");
        }
        String trimmed = serviceBaseUrl == null ? null : serviceBaseUrl.replaceAll("/+$", "");
        EndpointRules rules = new EndpointRules(false);
        URI uri = rules.check(trimmed);
        if (rules.family(uri) != EndpointRules.HostFamily.AML_SERVICE) {
            throw notAServiceHost(uri);
        }
        return new PipelineEndpoint(baseUrl(uri), workspace, Kind.ENDPOINT_BY_NAME, name, emptyToNull(version));
    }

    private static InvalidFieldException notAServiceHost(URI uri) {
        return new InvalidFieldException("endpoint", "The endpoint URL host '" + uri.getHost()
                + "' is not an Azure ML service host. " + EndpointRules.EXAMPLE);
    }

    private static String baseUrl(URI uri) {
        // Normalised (lower case, explicit port kept) so persisted references compare equal.
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://"
                + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The same batch endpoint, invoking a named deployment (header {@code azureml-model-deployment}) instead of the
     * endpoint's default deployment.
     */
    public PipelineEndpoint withDeployment(String deploymentName) {
        if (kind != Kind.BATCH_ENDPOINT) {
            throw new InvalidFieldException("deployment", "A deployment can only be chosen for a v2 batch endpoint.");
        }
        if (deploymentName == null || !deploymentName.matches("[A-Za-z0-9][A-Za-z0-9-]{0,31}")) {
            throw new InvalidFieldException("deployment", "'" + deploymentName + "' is not a deployment name: use"
                    + " letters, digits and '-', as listed under the batch endpoint's deployments.");
        }
        return new PipelineEndpoint(serviceBaseUrl, workspace, kind, id, null, batch, deploymentName);
    }

    /** Scheme, host and port of the endpoint's host, e.g. {@code https://westus.api.azureml.ms}. */
    public String getServiceBaseUrl() {
        return serviceBaseUrl;
    }

    /** Whether this is an Azure ML v2 batch endpoint ({@link Kind#BATCH_ENDPOINT}). */
    public boolean isBatchEndpoint() {
        return kind == Kind.BATCH_ENDPOINT;
    }

    /** The batch deployment to invoke, or null for the endpoint's default deployment (v1: always null). */
    public String getDeployment() {
        return deployment;
    }

    public Workspace getWorkspace() {
        return workspace;
    }

    public Kind getKind() {
        return kind;
    }

    /**
     * The published pipeline id, the pipeline endpoint id, the pipeline endpoint name, or the batch endpoint name,
     * by {@link #getKind()}.
     */
    public String getId() {
        return id;
    }

    /** The pipeline version of a versioned endpoint, or null for its default version. */
    public String getVersion() {
        return version;
    }

    /** The URL to POST a submission to. */
    public String submitUrl() {
        if (kind == Kind.BATCH_ENDPOINT) {
            return serviceBaseUrl + "/jobs";
        }
        String prefix = serviceBaseUrl + "/pipelines/v1.0/" + workspace.servicePath() + "/PipelineRuns/";
        switch (kind) {
            case PUBLISHED_PIPELINE:
                return prefix + "PipelineSubmit/" + encode(id);
            case ENDPOINT_BY_ID:
                return prefix + "PipelineEndpointSubmit/Id/" + encode(id) + (version == null ? "" : "/" + encode(version));
            default:
                return prefix + "PipelineEndpointSubmit/Name?name=" + encode(id)
                        + (version == null ? "" : "&pipelineVersion=" + encode(version));
        }
    }

    /** A reference to a run submitted to this endpoint. */
    public RunReference runReference(String experimentName, String runId) {
        if (kind == Kind.BATCH_ENDPOINT) {
            return RunReference.forBatchJob(batch.historyBaseUrl(), batch.resourceManagerUrl(), workspace,
                    experimentName, runId);
        }
        return new RunReference(serviceBaseUrl, workspace, experimentName, runId);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return submitUrl();
    }
}
