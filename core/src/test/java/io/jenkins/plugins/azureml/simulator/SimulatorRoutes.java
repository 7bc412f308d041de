package io.jenkins.plugins.azureml.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jenkins.plugins.azureml.client.models.RunReference;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dispatches the simulator's HTTP requests: record, apply a queued fault, authenticate, then answer. */
final class SimulatorRoutes implements HttpHandler {
    private static final String WS = "subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
            + "Microsoft\\.MachineLearningServices/workspaces/([^/]+)";
    private static final Pattern SUBMIT = Pattern.compile("/pipelines/v1\\.0/" + WS + "/PipelineRuns/(?:"
            + "PipelineSubmit/([^/]+)|PipelineEndpointSubmit/Id/([^/]+)(?:/([^/]+))?|PipelineEndpointSubmit/Name)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DETAILS = Pattern.compile(
            "/history/v1\\.0/" + WS + "/(?:experiments/([^/]+)/)?runs/([^/]+)/details", Pattern.CASE_INSENSITIVE);
    private static final Pattern CANCEL = Pattern.compile(
            "/execution/v1\\.0/" + WS + "/experiments/([^/]+)/runId/([^/]+)/cancel", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
    static final Pattern ARM_JOB = Pattern.compile("/" + WS + "/jobs/([^/]+)", Pattern.CASE_INSENSITIVE);
    static final Pattern ARM_JOB_CANCEL = Pattern.compile("/" + WS + "/jobs/([^/]+)/cancel",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INFERENCE_HOST = Pattern.compile("[^.]+\\.[^.]+\\.inference\\.ml\\.azure\\.(com|us|cn)");
    private static final Pattern BLOB_HOST = Pattern.compile("[a-z0-9]+\\.blob\\.core\\.windows\\.net");
    private static final Pattern ARM_HOST =
            Pattern.compile("management\\.(azure\\.com|usgovcloudapi\\.net|chinacloudapi\\.cn)");

    private final AzureMlSimulator sim;
    private final BatchRoutes batch;
    private final ManagedIdentityEndpoint managedIdentity;

    SimulatorRoutes(AzureMlSimulator sim) {
        this.sim = sim;
        this.batch = new BatchRoutes(sim);
        this.managedIdentity = new ManagedIdentityEndpoint(sim);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String host = host(exchange);
            Route route = route(host, exchange.getRequestMethod(), path);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            // The token routes issue tokens; the storage host takes a SAS, never a token.
            boolean tokenRoute = route == Route.TOKEN || route == Route.MSI_TOKEN || route == Route.LOG_BLOB;
            TokenIssuer.Check auth = tokenRoute ? null
                    : sim.tokens().check(authorization, SimulatedCloud.ofHost(host).acceptedScopes(route));
            sim.record(new RecordedRequest(route, exchange.getRequestMethod(), path,
                    exchange.getRequestURI().getRawQuery(), headersWithoutAuthorization(exchange),
                    recordedBody(route, body), auth == null ? 0 : auth.serial(), java.time.Instant.now()));
            Fault fault = sim.nextFault(route);
            if (fault == Fault.CONNECTION_RESET) {
                return; // closing the exchange before any response closes the connection
            }
            if (fault == Fault.SLOW) {
                awaitQuietly(sim.slowResponseDelay());
            } else if (fault != null) {
                answerFault(exchange, fault);
                return;
            }
            if (route == Route.TOKEN) {
                answerToken(exchange, host, body);
            } else if (route == Route.MSI_TOKEN) {
                managedIdentity.answer(exchange);
            } else if (route == Route.LOG_BLOB) {
                sim.logs().answer(exchange, path);
            } else if (!auth.ok()) {
                send(exchange, 401, SimulatorJson.error("InvalidAuthenticationToken", auth.problem(), requestId(exchange)));
            } else if (route == Route.INVOKE || route == Route.JOB || route == Route.JOB_CANCEL) {
                batch.handle(exchange, route, host, path, body);
            } else if (route == Route.MLFLOW_RUN || route == Route.MLFLOW_SEARCH || route == Route.MLFLOW_HISTORY) {
                sim.mlflow().handle(exchange, route, path, body);
            } else {
                dispatch(exchange, route, path, body);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (e.g. it timed out during a slow answer): nothing to answer
        }
    }

    /** The Host header without port: the production host name the host-mapping client kept. */
    private static String host(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return "127.0.0.1";
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    }

    /** Each host serves its own API; the loopback host (local trials) serves all of them. */
    private static Route route(String host, String method, String path) {
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
        if (BLOB_HOST.matcher(host).matches()) {
            return method.equals("GET") ? Route.LOG_BLOB : Route.OTHER;
        }
        boolean inference = INFERENCE_HOST.matcher(host).matches();
        boolean arm = ARM_HOST.matcher(host).matches();
        if (loopback && path.equals(ManagedIdentityEndpoint.PATH) && method.equals("GET")) {
            return Route.MSI_TOKEN;
        }
        if ((inference || loopback) && path.equals("/jobs") && method.equals("POST")) {
            return Route.INVOKE;
        }
        if (arm || loopback) {
            if (ARM_JOB.matcher(path).matches() && method.equals("GET")) {
                return Route.JOB;
            }
            if (ARM_JOB_CANCEL.matcher(path).matches() && method.equals("POST")) {
                return Route.JOB_CANCEL;
            }
        }
        return inference || arm ? Route.OTHER : v1Route(method, path);
    }

    private static Route v1Route(String method, String path) {
        if (SUBMIT.matcher(path).matches() && method.equals("POST")) {
            return Route.SUBMIT;
        }
        if (DETAILS.matcher(path).matches() && method.equals("GET")) {
            return Route.DETAILS;
        }
        if (CANCEL.matcher(path).matches() && method.equals("POST")) {
            return Route.CANCEL;
        }
        if (TOKEN.matcher(path).matches() && method.equals("POST")) {
            return Route.TOKEN;
        }
        Matcher mlflow = MlflowTrackingService.PATH.matcher(path);
        if (mlflow.matches()) {
            String method2 = mlflow.group(4).toLowerCase(java.util.Locale.ROOT);
            if (method2.equals("runs/get") && method.equals("GET")) {
                return Route.MLFLOW_RUN;
            }
            if (method2.equals("runs/search") && method.equals("POST")) {
                return Route.MLFLOW_SEARCH;
            }
            if (method2.equals("metrics/get-history") && method.equals("GET")) {
                return Route.MLFLOW_HISTORY;
            }
        }
        return Route.OTHER;
    }

    private void dispatch(HttpExchange exchange, Route route, String path, byte[] body) throws IOException {
        Matcher m = (route == Route.SUBMIT ? SUBMIT : route == Route.DETAILS ? DETAILS : CANCEL).matcher(path);
        if (route == Route.OTHER || !m.matches()) {
            send(exchange, 404, SimulatorJson.error("NotFound", "No such API: " + path, requestId(exchange)));
            return;
        }
        if (!sim.workspace().equals(new io.jenkins.plugins.azureml.client.models.Workspace(m.group(1), m.group(2),
                m.group(3)))) {
            send(exchange, 404, SimulatorJson.error("UserError", "Workspace " + m.group(3) + " not found.",
                    requestId(exchange)));
            return;
        }
        switch (route) {
            case SUBMIT:
                submit(exchange, m, body);
                break;
            case DETAILS:
                details(exchange, m.group(5));
                break;
            default:
                cancel(exchange, m.group(4), m.group(5));
                break;
        }
    }

    private void submit(HttpExchange exchange, Matcher m, byte[] body) throws IOException {
        PublishedPipeline pipeline = findPipeline(m, query(exchange.getRequestURI().getRawQuery()));
        if (pipeline == null) {
            send(exchange, 404, SimulatorJson.error("UserError", "Pipeline or pipeline endpoint not found.",
                    requestId(exchange)));
            return;
        }
        try {
            SubmitValidator.Submission submission = SubmitValidator.validate(body, pipeline);
            SimulatedRun run = new SimulatedRun(UUID.randomUUID().toString(), submission.experimentName(), pipeline,
                    submission.tags(), sim.clock());
            sim.addRun(run);
            String studio = new RunReference(sim.serviceBaseUrl(), sim.workspace(), run.experimentName(),
                    run.runId()).studioUrl();
            send(exchange, 200, SimulatorJson.submitted(run, sim.statusCodeAsString(), studio));
        } catch (SubmitValidator.Rejected e) {
            send(exchange, 400, SimulatorJson.error(e.code, e.getMessage(), requestId(exchange)));
        }
    }

    private PublishedPipeline findPipeline(Matcher m, Map<String, String> query) {
        if (m.group(4) != null) {
            return sim.pipeline(m.group(4));
        }
        String endpointId = m.group(5);
        String name = endpointId == null ? query.get("name") : null;
        for (PublishedPipeline p : sim.pipelines()) {
            if ((endpointId != null && endpointId.equals(p.endpointId())) || (name != null && name.equals(p.endpointName()))) {
                return p;
            }
        }
        return null;
    }

    private void details(HttpExchange exchange, String runId) throws IOException {
        String id = URLDecoder.decode(runId, StandardCharsets.UTF_8);
        SimulatedRun run = sim.run(id);
        SimulatedLogs.StepRun step = sim.logs().step(id);
        if (run == null && step == null) {
            send(exchange, 404, SimulatorJson.error("UserError", "Run " + runId + " not found.", requestId(exchange)));
            return;
        }
        if (step != null) {
            send(exchange, 200, SimulatorJson.stepDetails(step, sim.logs().logFiles(id)));
            return;
        }
        if (sim.advancePerPoll()) {
            run.tick();
        }
        send(exchange, 200, SimulatorJson.details(run, sim.logs().logFiles(id)));
    }

    private void cancel(HttpExchange exchange, String experiment, String runId) throws IOException {
        SimulatedRun run = sim.run(URLDecoder.decode(runId, StandardCharsets.UTF_8));
        if (run == null || !run.experimentName().equals(URLDecoder.decode(experiment, StandardCharsets.UTF_8))) {
            send(exchange, 404, SimulatorJson.error("UserError", "Run " + runId + " not found in experiment "
                    + experiment + ".", requestId(exchange)));
            return;
        }
        run.cancel();
        send(exchange, 200, new byte[0]);
    }

    private void answerToken(HttpExchange exchange, String host, byte[] body) throws IOException {
        Map<String, String> form = query(new String(body, StandardCharsets.UTF_8));
        if (!sim.servicePrincipalValid(form.get("client_id"), form.get("client_secret"))) {
            send(exchange, 401, ("{\"error\":\"invalid_client\",\"error_description\":"
                    + "\"AADSTS7000215: Invalid client secret provided.\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        Duration lifetime = Duration.ofHours(1);
        // Like Entra ID: the access token's audience is the resource of the ".default" scope; MSAL adds OIDC scopes.
        String resourceScope = java.util.Arrays.stream(form.getOrDefault("scope", "").split(" "))
                .filter(s -> s.endsWith("/.default")).findFirst().orElse("");
        if (!SimulatedCloud.ofHost(host).issues(resourceScope)) {
            // Like Entra ID asked for another cloud's resource: that resource does not exist in this cloud.
            send(exchange, 400, ("{\"error\":\"invalid_resource\",\"error_description\":\"AADSTS500011: The"
                    + " resource principal named " + resourceScope.replace("/.default", "") + " was not found in the"
                    + " tenant.\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        TokenIssuer.IssuedToken token = sim.tokens().issue(resourceScope, lifetime);
        send(exchange, 200, SimulatorJson.token(token.value(), lifetime.toSeconds()));
    }

    private void answerFault(HttpExchange exchange, Fault fault) throws IOException {
        String id = requestId(exchange);
        switch (fault) {
            case THROTTLED:
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(sim.retryAfterSeconds()));
                send(exchange, 429, SimulatorJson.error("RequestThrottled", "Rate limit exceeded.", id));
                break;
            case THROTTLED_WITHOUT_RETRY_AFTER:
                send(exchange, 429, SimulatorJson.error("RequestThrottled", "Rate limit exceeded.", id));
                break;
            case SERVER_ERROR:
                send(exchange, 500, SimulatorJson.error("ServiceError", "Internal server error.", id));
                break;
            case UNAVAILABLE:
                send(exchange, 503, SimulatorJson.error("TransientError", "Service is temporarily unavailable.", id));
                break;
            case MALFORMED_JSON:
                send(exchange, 200, "{\"Id\": \"run-1\", \"Status\": {\"StatusCode\": ".getBytes(StandardCharsets.UTF_8));
                break;
            case UNAUTHORIZED:
                send(exchange, 401, SimulatorJson.error("InvalidAuthenticationToken", "The token is invalid.", id));
                break;
            case FORBIDDEN:
                send(exchange, 403, SimulatorJson.error("AuthorizationFailed", "The client does not have"
                        + " authorization to perform action 'Microsoft.MachineLearningServices/workspaces/"
                        + "experiments/runs/submit/action'.", id));
                break;
            default:
                send(exchange, 404, SimulatorJson.error("UserError", "Not found.", id));
                break;
        }
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("x-ms-request-id", requestId(exchange));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void awaitQuietly(Duration delay) {
        try {
            sim.closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One id per request, in the x-ms-request-id header and the envelope's correlation alike. */
    static String requestId(HttpExchange exchange) {
        Object id = exchange.getAttribute("x-ms-request-id");
        if (id == null) {
            id = UUID.randomUUID().toString();
            exchange.setAttribute("x-ms-request-id", id);
        }
        return (String) id;
    }

    private static Map<String, List<String>> headersWithoutAuthorization(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Authorization")) {
                headers.put(k, List.copyOf(v));
            }
        });
        return headers;
    }

    private static String recordedBody(Route route, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return route == Route.TOKEN ? text.replaceAll("client_secret=[^&]*", "client_secret=***") : text;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }
}
