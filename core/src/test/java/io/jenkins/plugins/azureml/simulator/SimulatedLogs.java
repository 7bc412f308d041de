package io.jenkins.plugins.azureml.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runs' log files on the workspace's storage account {@value #STORAGE_HOST} (contracts section 9), reached
 * through the host-mapping client like the Azure ML hosts. Run details list them in {@code logFiles} with a SAS URL
 * made for that answer (a new {@code sig} per details call, valid for {@link #sasLifetime} on the simulator's clock,
 * or until the next details call with {@link #expireOldSas}); the blob route answers GETs by SAS only (a request
 * that carries an Authorization header is refused), honours {@code Range: bytes=<from>-[<to>]} (206 with
 * {@code Content-Range: bytes a-b/size}; 416 without Content-Range when the range starts at or after the end; 200
 * without a range) and answers 403 {@code AuthenticationFailed} for an unknown or expired signature.
 *
 * <p>While a run is Running each tick appends to its log: a v1 pipeline run writes a status line per tick to
 * {@code logs/azureml/executionlogs.txt} and each declared step ({@link PublishedPipeline.Builder#stepMetrics}) a
 * child run whose {@code user_logs/std_log.txt} gains {@link #linesPerTick} lines; a v2 job writes its own
 * {@code user_logs/std_log.txt}. Tests can append, truncate and replace files directly.
 */
public final class SimulatedLogs {
    /** The workspace's storage account host. */
    public static final String STORAGE_HOST = "mlwsstore.blob.core.windows.net";
    public static final String EXECUTION_LOG = "logs/azureml/executionlogs.txt";
    public static final String USER_LOG = "user_logs/std_log.txt";

    private record Sas(String blob, Instant expires) {
    }

    /** A step run of a pipeline run: its id, name and parent. */
    public record StepRun(String runId, String name, SimulatedRun parent) {
    }

    private final AzureMlSimulator sim;
    /** run id → file name → content. */
    private final Map<String, Map<String, ByteArrayOutputStream>> files = new ConcurrentHashMap<>();
    private final Map<String, Sas> signatures = new ConcurrentHashMap<>();
    private final Map<String, StepRun> steps = new ConcurrentHashMap<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile Duration sasLifetime = Duration.ofMinutes(10);
    private volatile boolean expireOldSas;
    private volatile int linesPerTick = 3;

    SimulatedLogs(AzureMlSimulator sim) {
        this.sim = sim;
    }

    /** How long a SAS URL in run details stays valid on the simulator's clock (default 10 minutes). */
    public SimulatedLogs sasLifetime(Duration lifetime) {
        this.sasLifetime = lifetime;
        return this;
    }

    /** Whether a details answer makes every earlier SAS of the same file invalid at once (default false). */
    public SimulatedLogs expireOldSas(boolean expire) {
        this.expireOldSas = expire;
        return this;
    }

    /** Lines each step's user log gains per tick while the run is Running (default 3). */
    public SimulatedLogs linesPerTick(int lines) {
        this.linesPerTick = lines;
        return this;
    }

    /** Appends text (UTF-8) to a file of a run or step run, creating it. */
    public void append(String runId, String file, String text) {
        ByteArrayOutputStream content = files.computeIfAbsent(runId, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(file, f -> new ByteArrayOutputStream());
        synchronized (content) {
            content.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Keeps only the first {@code bytes} bytes of a file. */
    public void truncate(String runId, String file, int bytes) {
        ByteArrayOutputStream content = files.get(runId).get(file);
        synchronized (content) {
            byte[] kept = java.util.Arrays.copyOf(content.toByteArray(), bytes);
            content.reset();
            content.writeBytes(kept);
        }
    }

    /** Replaces a file's content. */
    public void replace(String runId, String file, String text) {
        ByteArrayOutputStream content = files.get(runId).get(file);
        synchronized (content) {
            content.reset();
            content.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A file's content now, or "" when it does not exist. */
    public String content(String runId, String file) {
        ByteArrayOutputStream content = files.getOrDefault(runId, Map.of()).get(file);
        if (content == null) {
            return "";
        }
        synchronized (content) {
            return content.toString(StandardCharsets.UTF_8);
        }
    }

    /** The step runs of a pipeline run, in step order. */
    public List<StepRun> steps(String parentRunId) {
        List<StepRun> result = new ArrayList<>();
        steps.values().stream().filter(s -> s.parent().runId().equals(parentRunId))
                .sorted(java.util.Comparator.comparing(StepRun::runId)).forEach(result::add);
        return result;
    }

    StepRun step(String runId) {
        return steps.get(runId);
    }

    /** Every SAS signature handed out, oldest first (secrets: the secret-scan test looks for them). */
    public List<String> issuedSignatures() {
        return List.copyOf(issued);
    }

    /** Registers a submitted run's steps and grows its logs on each of its ticks. */
    void started(SimulatedRun run) {
        int i = 0;
        for (String name : run.pipeline().stepMetrics().keySet()) {
            i++;
            String id = run.runId() + "_step" + i; // the MLflow child run ids
            steps.put(id, new StepRun(id, name, run));
        }
        run.onTick(() -> grow(run));
    }

    private void grow(SimulatedRun run) {
        RunStatus status = run.status();
        if (run.batchJob()) {
            if (status == RunStatus.RUNNING) {
                for (int n = 0; n < linesPerTick; n++) {
                    append(run.runId(), USER_LOG, "job " + run.runId() + " line " + lineNumber(run.runId(), USER_LOG)
                            + "\n");
                }
            }
            return;
        }
        if (status == RunStatus.RUNNING || status.isTerminal()) {
            append(run.runId(), EXECUTION_LOG, "[" + sim.clock().instant() + "] pipeline run " + run.runId() + ": "
                    + status.serviceName() + " (line " + lineNumber(run.runId(), EXECUTION_LOG) + ")\n");
        }
        if (status == RunStatus.RUNNING) {
            for (StepRun step : steps(run.runId())) {
                for (int n = 0; n < linesPerTick; n++) {
                    int line = lineNumber(step.runId(), USER_LOG);
                    append(step.runId(), USER_LOG, step.name() + " epoch " + line + " loss 0." + (1000 - line) + "\n");
                }
            }
        }
    }

    private int lineNumber(String runId, String file) {
        return (int) content(runId, file).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Step runs: Running while the pipeline runs, then the pipeline's end status. */
    static RunStatus stepStatus(StepRun step) {
        RunStatus parent = step.parent().status();
        return parent.isTerminal() || parent == RunStatus.RUNNING ? parent : RunStatus.NOT_STARTED;
    }

    /** File name → a fresh SAS URL, for a details answer. */
    Map<String, String> logFiles(String runId) {
        Map<String, String> result = new TreeMap<>();
        for (String file : files.getOrDefault(runId, Map.of()).keySet()) {
            String blob = "/azureml/ExperimentRun/dcid." + runId + "/" + file;
            if (expireOldSas) {
                signatures.values().removeIf(s -> s.blob().equals(blob));
            }
            String sig = UUID.randomUUID().toString().replace("-", "") + "Zk%2B" + issued.size();
            Instant expires = sim.clock().instant().plus(sasLifetime);
            signatures.put(URLDecoder.decode(sig, StandardCharsets.UTF_8), new Sas(blob, expires));
            issued.add(URLDecoder.decode(sig, StandardCharsets.UTF_8));
            result.put(file, "https://" + STORAGE_HOST + blob + "?sv=2019-07-07&sr=b&sp=r&se="
                    + expires.toString().replace(":", "%3A") + "&sig=" + sig);
        }
        return result;
    }

    /** GET on the storage host. */
    void answer(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
            storageError(exchange, 400, "InvalidAuthenticationInfo", "A SAS request must not carry a bearer token.");
            return;
        }
        String sig = SimulatorRoutes.query(exchange.getRequestURI().getRawQuery()).get("sig");
        Sas sas = sig == null ? null : signatures.get(sig);
        if (sas == null || !sas.blob().equals(path) || sim.clock().instant().isAfter(sas.expires())) {
            storageError(exchange, 403, "AuthenticationFailed", "Server failed to authenticate the request."
                    + " Signature not valid in the specified time frame or signature did not match.");
            return;
        }
        String prefix = "/azureml/ExperimentRun/dcid.";
        String rest = path.substring(prefix.length());
        String runId = rest.substring(0, rest.indexOf('/'));
        ByteArrayOutputStream content = files.getOrDefault(runId, Map.of()).get(rest.substring(rest.indexOf('/') + 1));
        if (content == null) {
            storageError(exchange, 404, "BlobNotFound", "The specified blob does not exist.");
            return;
        }
        byte[] bytes;
        synchronized (content) {
            bytes = content.toByteArray();
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range == null) {
            send(exchange, 200, bytes);
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(range.trim());
        if (!m.matches()) {
            send(exchange, 200, bytes); // like Blob Storage: an unparsable range is ignored
            return;
        }
        long from = Long.parseLong(m.group(1));
        long to = m.group(2).isEmpty() ? bytes.length - 1 : Math.min(Long.parseLong(m.group(2)), bytes.length - 1);
        if (from >= bytes.length) {
            storageError(exchange, 416, "InvalidRange", "The range specified is invalid for the current size of the"
                    + " resource.");
            return;
        }
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length);
        send(exchange, 206, java.util.Arrays.copyOfRange(bytes, (int) from, (int) to + 1));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("x-ms-request-id", SimulatorRoutes.requestId(exchange));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void storageError(HttpExchange exchange, int status, String code, String message)
            throws IOException {
        exchange.getResponseHeaders().set("x-ms-error-code", code);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
