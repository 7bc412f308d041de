package io.jenkins.plugins.azureml.simulator;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.azureml.client.models.Workspace;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import reactor.netty.resources.ConnectionProvider;

/**
 * Azure ML on 127.0.0.1 for tests and local trials, faithful to contracts sections 1 to 3. v1: submits published
 * pipelines (all three URL forms), serves run history details, cancels runs. v2: invokes batch endpoints
 * ({@link #deploy(BatchEndpoint)}, on {@code *.inference.ml.azure.com}, ML-audience tokens only), serves the ARM
 * job and its cancel action (on {@code management.azure.com}, ARM tokens only, api-version required); a v2 job is a
 * run in run history too, where its error is. Issues Entra ID tokens to a real {@code ClientSecretCredential}, and
 * App Service managed identity tokens ({@link #managedIdentityEndpoint()}) to a real {@code ManagedIdentityCredential}.
 *
 * <p><b>How clients reach it.</b> By default it serves HTTPS with a runtime-generated self-signed certificate
 * ({@link SimulatorTls}). Tests build the client with {@link #httpClient()}, which trusts that certificate and maps
 * {@code *.api.azureml.ms} (and the other clouds' hosts, private-link workspace hosts, and the three clouds'
 * sign-in hosts) to this server, and
 * use {@link #submitUrl(PublishedPipeline)}, a production URL on {@value #REGION_HOST}. So the production rules
 * (https only, Azure hosts only) and azure-core's own bearer token policy run unchanged end to end. A server started
 * with {@link #startHttp()} serves plain http for the client's explicit {@code allowInsecureLoopback} option; use
 * {@link #loopbackSubmitUrl(PublishedPipeline)} with it.
 *
 * <p><b>Behaviour.</b> Every request is recorded ({@link #requests()}). Requests need a bearer token issued to
 * {@link #credential()} (or by the token route) for an audience the route accepts, of the host's cloud (v1: ARM or
 * ML; v2 invoke: ML; ARM: ARM; a sign-in host issues only its own cloud's tokens), not expired on {@link #clock()}; else 401 with the AML error envelope. Each host serves only its API
 * (the host-mapping client keeps the Host header); the loopback host serves all of them. Submissions are validated against the published pipeline (parameters, datapaths,
 * datastores, experiment name); else 400. Runs move one lifecycle step per status poll (or per
 * {@link #advanceRuns()} when {@link #advancePerPoll(boolean)} is off). Faults are queued per route with
 * {@link #inject(Route, Fault, int)}.
 */
public final class AzureMlSimulator implements AutoCloseable {
    /** The region host of the production-shaped URLs that {@link #httpClient()} maps to this server. */
    public static final String REGION_HOST = "westus.api.azureml.ms";
    /** The tenant in v2 studio links (so a test can tell the service's link from one the client built). */
    public static final String TENANT = "72f988bf-0000-0000-0000-000000000000";

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean https;
    private final Workspace workspace = new Workspace("00000000-1111-2222-3333-444444444444", "ml-rg", "ml-ws");
    private final SimulatorClock clock = new SimulatorClock();
    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final SimulatorCredential credential = new SimulatorCredential(tokens);
    private final Map<String, PublishedPipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, BatchEndpoint> batchEndpoints = new ConcurrentHashMap<>();
    private volatile BatchEndpoint loopbackBatchEndpoint;
    private final Map<String, SimulatedRun> runs = new ConcurrentHashMap<>();
    private final List<SimulatedRun> runOrder = new CopyOnWriteArrayList<>();
    private final MlflowTrackingService mlflow = new MlflowTrackingService(this);
    private final SimulatedLogs logs = new SimulatedLogs(this);
    private final Map<String, String> servicePrincipals = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<Route, Deque<Fault>> faults = new EnumMap<>(Route.class);
    final CountDownLatch closing = new CountDownLatch(1);
    private volatile int retryAfterSeconds = 1;
    private volatile Duration slowResponseDelay = Duration.ofSeconds(3);
    private volatile boolean advancePerPoll = true;
    private volatile boolean statusCodeAsString;
    private volatile String managedIdentityHeader = java.util.UUID.randomUUID().toString();
    private HttpClient httpClient;

    private AzureMlSimulator(boolean https, int port) {
        this.https = https;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (https) {
                HttpsServer s = HttpsServer.create(address, 50);
                s.setHttpsConfigurator(new HttpsConfigurator(SimulatorTls.get().serverContext()));
                server = s;
            } else {
                server = HttpServer.create(address, 50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Azure ML simulator on 127.0.0.1:" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "aml-simulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new SimulatorRoutes(this));
        server.start();
    }

    /** HTTPS on a free loopback port (preferred: the production https path is exercised). */
    public static AzureMlSimulator startHttps() {
        return new AzureMlSimulator(true, 0);
    }

    /** Plain http on a free loopback port, for the client's {@code allowInsecureLoopback} option. */
    public static AzureMlSimulator startHttp() {
        return new AzureMlSimulator(false, 0);
    }

    /** On a given port (0 for any). */
    public static AzureMlSimulator start(boolean https, int port) {
        return new AzureMlSimulator(https, port);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public boolean isHttps() {
        return https;
    }

    /** The one workspace this service knows; requests for others get 404. */
    public Workspace workspace() {
        return workspace;
    }

    public SimulatorClock clock() {
        return clock;
    }

    public TokenIssuer tokens() {
        return tokens;
    }

    /** A credential whose tokens this simulator accepts. */
    public SimulatorCredential credential() {
        return credential;
    }

    /** Publishes a pipeline (and its endpoint id/name, if set). */
    public PublishedPipeline publish(PublishedPipeline pipeline) {
        pipelines.put(pipeline.id(), pipeline);
        return pipeline;
    }

    /** The production-shaped submit URL on {@value #REGION_HOST}, reached through {@link #httpClient()}. */
    public String submitUrl(PublishedPipeline pipeline) {
        return serviceBaseUrl() + pipelinesPath() + "PipelineSubmit/" + pipeline.id();
    }

    /** The production-shaped {@code PipelineEndpointSubmit/Id/{endpointId}} URL of a pipeline published with an endpoint. */
    public String endpointSubmitUrl(PublishedPipeline pipeline) {
        return serviceBaseUrl() + pipelinesPath() + "PipelineEndpointSubmit/Id/"
                + Objects.requireNonNull(pipeline.endpointId(), "the pipeline has no endpoint");
    }

    /** {@code http(s)://127.0.0.1:port/...} submit URL, for {@code allowInsecureLoopback}. */
    public String loopbackSubmitUrl(PublishedPipeline pipeline) {
        return loopbackBaseUrl() + pipelinesPath() + "PipelineSubmit/" + pipeline.id();
    }

    /** Deploys a v2 batch endpoint; the last one deployed also answers loopback invocations ({@code /jobs}). */
    public BatchEndpoint deploy(BatchEndpoint endpoint) {
        batchEndpoints.put(endpoint.name(), endpoint);
        loopbackBatchEndpoint = endpoint;
        return endpoint;
    }

    /** The production-shaped scoring URI {@code https://{name}.westus.inference.ml.azure.com/jobs}. */
    public String scoringUri(BatchEndpoint endpoint) {
        return "https://" + endpoint.name() + ".westus.inference.ml.azure.com/jobs";
    }

    /** {@code http(s)://127.0.0.1:port/jobs}, for {@code allowInsecureLoopback}; invokes the last deployed endpoint. */
    public String loopbackScoringUri() {
        return loopbackBaseUrl() + "/jobs";
    }

    /** The workspace resource id a v2 endpoint needs alongside its scoring URI. */
    public String workspaceResourceId() {
        return workspace.resourceId();
    }

    BatchEndpoint batchEndpoint(String name) {
        return batchEndpoints.get(name);
    }

    BatchEndpoint loopbackBatchEndpoint() {
        return loopbackBatchEndpoint;
    }

    /** The studio link ARM reports for a job (with the tenant, unlike the link a client builds itself). */
    String jobStudioUrl(SimulatedRun job, SimulatedCloud cloud) {
        return "https://" + cloud.studioHost + "/runs/" + job.runId() + "?wsid=" + workspace.studioWsid() + "&tid=" + TENANT;
    }

    /** {@code https://westus.api.azureml.ms}. */
    public String serviceBaseUrl() {
        return "https://" + REGION_HOST;
    }

    public String loopbackBaseUrl() {
        return (https ? "https" : "http") + "://127.0.0.1:" + port();
    }

    private String pipelinesPath() {
        return "/pipelines/v1.0/" + workspace.servicePath() + "/PipelineRuns/";
    }

    /** An azure-core client that trusts this server's certificate and maps Azure hosts to it (no pooling). */
    public synchronized HttpClient httpClient() {
        if (httpClient == null) {
            reactor.netty.http.client.HttpClient reactorClient =
                    reactor.netty.http.client.HttpClient.create(ConnectionProvider.newConnection());
            if (https) {
                SslContext ssl = trustingSslContext();
                reactorClient = reactorClient.secure(spec -> spec.sslContext(ssl));
            }
            httpClient = new HostMappingHttpClient(new NettyAsyncHttpClientBuilder(reactorClient).build(), port());
        }
        return httpClient;
    }

    private static SslContext trustingSslContext() {
        try {
            return SslContextBuilder.forClient().trustManager(SimulatorTls.get().certificate()).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers a service principal the token route accepts (tenant-independent). */
    public void registerServicePrincipal(String clientId, String clientSecret) {
        servicePrincipals.put(clientId, clientSecret);
    }

    boolean servicePrincipalValid(String clientId, String secret) {
        return clientId != null && secret != null && secret.equals(servicePrincipals.get(clientId));
    }

    /**
     * The {@code IDENTITY_ENDPOINT} of the App Service managed identity route, {@code http(s)://127.0.0.1:port/msi/token}:
     * a JVM started with it and {@link #managedIdentityHeader()} as {@code IDENTITY_HEADER} gets its
     * {@code ManagedIdentityCredential} tokens from this simulator.
     */
    public String managedIdentityEndpoint() {
        return loopbackBaseUrl() + ManagedIdentityEndpoint.PATH;
    }

    /** The {@code IDENTITY_HEADER} value the managed identity route requires (random per simulator by default). */
    public String managedIdentityHeader() {
        return managedIdentityHeader;
    }

    public AzureMlSimulator managedIdentityHeader(String header) {
        this.managedIdentityHeader = java.util.Objects.requireNonNull(header, "header");
        return this;
    }

    /** Answers the next {@code times} requests on {@code route} with {@code fault}. */
    public void inject(Route route, Fault fault, int times) {
        synchronized (faults) {
            Deque<Fault> queue = faults.computeIfAbsent(route, r -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(fault);
            }
        }
    }

    public void inject(Route route, Fault fault) {
        inject(route, fault, 1);
    }

    Fault nextFault(Route route) {
        synchronized (faults) {
            Deque<Fault> queue = faults.get(route);
            return queue == null ? null : queue.poll();
        }
    }

    /** Retry-After seconds sent with {@link Fault#THROTTLED} (default 1). */
    public AzureMlSimulator retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** How long {@link Fault#SLOW} waits (default 3 s; closing the simulator cuts it short). */
    public AzureMlSimulator slowResponseDelay(Duration delay) {
        this.slowResponseDelay = delay;
        return this;
    }

    Duration slowResponseDelay() {
        return slowResponseDelay;
    }

    /** Whether each status poll moves the run one step (default true); if not, call {@link #advanceRuns()}. */
    public AzureMlSimulator advancePerPoll(boolean perPoll) {
        this.advancePerPoll = perPoll;
        return this;
    }

    boolean advancePerPoll() {
        return advancePerPoll;
    }

    /** Sends the submit answer's StatusCode as a string ("0") instead of a number, as some versions do. */
    public AzureMlSimulator statusCodeAsString(boolean asString) {
        this.statusCodeAsString = asString;
        return this;
    }

    boolean statusCodeAsString() {
        return statusCodeAsString;
    }

    /** For a local trial with a real Azure credential: accept any bearer token. */
    public AzureMlSimulator acceptAnyToken(boolean accept) {
        tokens.acceptAnyToken(accept);
        return this;
    }

    /** Moves every run one step. */
    public void advanceRuns() {
        runOrder.forEach(SimulatedRun::tick);
    }

    public SimulatedRun run(String runId) {
        return runs.get(runId);
    }

    /** Runs in submission order. */
    public List<SimulatedRun> runs() {
        return List.copyOf(runOrder);
    }

    PublishedPipeline pipeline(String id) {
        return pipelines.get(id);
    }

    Collection<PublishedPipeline> pipelines() {
        return pipelines.values();
    }

    void addRun(SimulatedRun run) {
        runs.put(run.runId(), run);
        runOrder.add(run);
        mlflow.recordSubmitted(run);
        logs.started(run);
    }

    /** The runs' log files on the workspace's storage account, and their SAS URLs. */
    public SimulatedLogs logs() {
        return logs;
    }

    /** The workspace's MLflow tracking service: every submitted run's record, and runs a test adds. */
    public MlflowTrackingService mlflow() {
        return mlflow;
    }

    void record(RecordedRequest request) {
        requests.add(request);
    }

    /** Every request received, oldest first. */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(requests);
    }

    public List<RecordedRequest> requests(Route route) {
        return requests.stream().filter(r -> r.route() == route).collect(Collectors.toList());
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
