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
 * Where a pipeline run is submitted: a published pipeline ({@code .../PipelineRuns/PipelineSubmit/{id}}) or a
 * versioned pipeline endpoint by id ({@code .../PipelineEndpointSubmit/Id/{id}[/{version}]}) or by name
 * ({@code .../PipelineEndpointSubmit/Name?name={name}[&pipelineVersion={v}]}). Created only through
 * {@link #parse(String)} or {@link #forEndpointName}, which refuse any host that is not an Azure ML service host.
 */
public final class PipelineEndpoint {
    /** The three URL shapes of contracts section 1. */
    public enum Kind { PUBLISHED_PIPELINE, ENDPOINT_BY_ID, ENDPOINT_BY_NAME }

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

    private PipelineEndpoint(String serviceBaseUrl, Workspace workspace, Kind kind, String id, String version) {
        this.serviceBaseUrl = serviceBaseUrl;
        this.workspace = workspace;
        this.kind = kind;
        this.id = id;
        this.version = version;
    }

    /** Parses a submit URL as shown by Azure ML studio. Only Azure ML hosts over https are accepted. */
    public static PipelineEndpoint parse(String url) {
        return parse(url, false);
    }

    /**
     * Parses a submit URL; with {@code allowInsecureLoopback} also {@code http(s)://127.0.0.1|localhost|[::1]:port}
     * (tests and local trials against the simulator only).
     *
     * @throws InvalidFieldException for field {@code endpoint}
     */
    public static PipelineEndpoint parse(String url, boolean allowInsecureLoopback) {
        URI uri = new EndpointRules(allowInsecureLoopback).check(url);
        Matcher m = PATH.matcher(uri.getPath() == null ? "" : uri.getPath());
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
        URI uri = new EndpointRules(false).check(trimmed);
        return new PipelineEndpoint(baseUrl(uri), workspace, Kind.ENDPOINT_BY_NAME, name, emptyToNull(version));
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

    /** Scheme, host and port of the regional service, e.g. {@code https://westus.api.azureml.ms}. */
    public String getServiceBaseUrl() {
        return serviceBaseUrl;
    }

    public Workspace getWorkspace() {
        return workspace;
    }

    public Kind getKind() {
        return kind;
    }

    /** The published pipeline id, the pipeline endpoint id, or the pipeline endpoint name, by {@link #getKind()}. */
    public String getId() {
        return id;
    }

    /** The pipeline version of a versioned endpoint, or null for its default version. */
    public String getVersion() {
        return version;
    }

    /** The URL to POST a submission to. */
    public String submitUrl() {
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
