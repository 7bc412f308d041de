package io.jenkins.plugins.azureml.simulator;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * JSON in and out for the simulator, written with azure-json independently of the client's own parsing, so a bug in
 * one is not mirrored by the other.
 */
final class SimulatorJson {
    private SimulatorJson() {
    }

    /** Parses a body to maps/lists/scalars; throws IOException when it is not JSON. */
    static Object parse(byte[] body) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(body)) {
            reader.nextToken();
            return reader.readUntyped();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Case-insensitive field lookup (the contracts say the service matches keys that way). */
    static Object field(Object object, String name) {
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (name.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** The AML error envelope. */
    static byte[] error(String code, String message, String requestId) {
        return write(w -> {
            w.writeStartObject();
            w.writeStartObject("error");
            w.writeStringField("code", code);
            w.writeStringField("message", message);
            w.writeStartArray("details").writeEndArray();
            w.writeEndObject();
            w.writeStartObject("correlation");
            w.writeStringField("operation", requestId);
            w.writeStringField("request", requestId);
            w.writeEndObject();
            w.writeEndObject();
        });
    }

    /** The pipelines service's PipelineRun answer to a submission (PascalCase, numeric StatusCode). */
    static byte[] submitted(SimulatedRun run, boolean statusCodeAsString, String studioUrl) {
        int code = statusCode(run);
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("Id", run.runId());
            w.writeStringField("PipelineId", run.pipeline().id());
            w.writeStartObject("Status");
            if (statusCodeAsString) {
                w.writeStringField("StatusCode", Integer.toString(code));
            } else {
                w.writeIntField("StatusCode", code);
            }
            w.writeNullField("StatusDetail");
            w.writeStringField("CreationTime", Instant.now().toString());
            w.writeNullField("EndTime");
            w.writeEndObject();
            w.writeStringField("RunHistoryExperimentName", run.experimentName());
            w.writeStringField("RunUrl", studioUrl);
            w.writeMapField("Tags", run.tags(), JsonWriter::writeString);
            w.writeEndObject();
        });
    }

    /** Run history details (camelCase), with the wrapped error envelope for a failed run. */
    static byte[] details(SimulatedRun run, Map<String, String> logFiles) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("runId", run.runId());
            w.writeStringField("status", run.status().serviceName());
            w.writeStringField("startTimeUtc", run.startTime() == null ? null : run.startTime().toString());
            w.writeStringField("endTimeUtc", run.endTime() == null ? null : run.endTime().toString());
            if (run.status() == io.jenkins.plugins.azureml.client.models.RunStatus.FAILED) {
                w.writeStartObject("error");
                w.writeStartObject("error");
                w.writeStringField("code", run.pipeline().failureCode());
                w.writeStringField("message", run.pipeline().failureMessage());
                w.writeEndObject();
                w.writeEndObject();
            }
            w.writeMapField("tags", run.tags(), JsonWriter::writeString);
            w.writeStartObject("properties");
            w.writeStringField("azureml.runsource", "azureml.PipelineRun");
            w.writeEndObject();
            w.writeMapField("logFiles", logFiles, JsonWriter::writeString);
            w.writeEndObject();
        });
    }

    /** Run history details of a pipeline's step run (a child run), with its log files. */
    static byte[] stepDetails(SimulatedLogs.StepRun step, Map<String, String> logFiles) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("runId", step.runId());
            w.writeStringField("parentRunId", step.parent().runId());
            w.writeStringField("status", SimulatedLogs.stepStatus(step).serviceName());
            w.writeStartObject("properties");
            w.writeStringField("azureml.runsource", "azureml.StepRun");
            w.writeStringField("azureml.nodeid", step.name());
            w.writeEndObject();
            w.writeMapField("logFiles", logFiles, JsonWriter::writeString);
            w.writeEndObject();
        });
    }

    /** The ARM job resource of a v2 batch job (also the invocation's answer). No error field: ARM has none. */
    static byte[] job(SimulatedRun job, io.jenkins.plugins.azureml.client.models.Workspace workspace,
                      String studioUrl) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("id", workspace.resourceId() + "/jobs/" + job.runId());
            w.writeStringField("name", job.runId());
            w.writeStringField("type", "Microsoft.MachineLearningServices/workspaces/jobs");
            w.writeStartObject("properties");
            w.writeStringField("jobType", "Pipeline");
            w.writeStringField("experimentName", job.experimentName());
            w.writeStringField("status", job.status().serviceName());
            w.writeStartObject("services");
            w.writeStartObject("Studio");
            w.writeStringField("jobServiceType", "Studio");
            w.writeStringField("endpoint", studioUrl);
            w.writeEndObject();
            w.writeEndObject();
            w.writeStartObject("properties");
            w.writeStringField("azureml.pipelineComponent", "pipelinerun");
            w.writeEndObject();
            w.writeEndObject();
            w.writeEndObject();
        });
    }

    /** The Entra ID token response. */
    static byte[] token(String accessToken, long expiresInSeconds) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("token_type", "Bearer");
            w.writeLongField("expires_in", expiresInSeconds);
            w.writeLongField("ext_expires_in", expiresInSeconds);
            w.writeStringField("access_token", accessToken);
            w.writeEndObject();
        });
    }

    /**
     * The App Service managed identity answer (api-version 2019-08-01): {@code expires_on} in epoch seconds as a
     * string, as App Service sends it (msal4j 1.23.1 reads it with {@code getString} and parses epoch seconds or
     * ISO-8601).
     */
    static byte[] managedIdentityToken(String accessToken, Instant expiresOn, String resource) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("access_token", accessToken);
            w.writeStringField("expires_on", Long.toString(expiresOn.getEpochSecond()));
            w.writeStringField("resource", resource);
            w.writeStringField("token_type", "Bearer");
            w.writeEndObject();
        });
    }

    /** An OAuth-style error ({@code error}, {@code error_description}), as token endpoints answer. */
    static byte[] oauthError(String error, String description) {
        return write(w -> {
            w.writeStartObject();
            w.writeStringField("error", error);
            w.writeStringField("error_description", description);
            w.writeEndObject();
        });
    }

    /** The pipelines service's numeric StatusCode for a status (0..4). */
    static int statusCode(SimulatedRun run) {
        switch (run.status()) {
            case FAILED: return 2;
            case COMPLETED: return 3;
            case CANCELED: return 4;
            case NOT_STARTED: return 0;
            default: return 1;
        }
    }

    interface Body {
        void write(JsonWriter writer) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            body.write(writer);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
