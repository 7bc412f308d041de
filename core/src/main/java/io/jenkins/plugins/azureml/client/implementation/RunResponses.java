package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/** Reads the two run shapes: the pipelines service's PipelineRun (PascalCase) and run history details (camelCase). */
public final class RunResponses {
    private RunResponses() {
    }

    /** The run id of a successful submission; the response carries {@code Id} and {@code Status.StatusCode}. */
    public static PipelineRun fromSubmitResponse(byte[] body, RunReferenceFactory references) throws IOException {
        JsonTree json = JsonTree.parse(body);
        String runId = json.firstText("Id", "RunId");
        if (!json.isObject() || runId == null) {
            throw new IOException("the response has no run Id");
        }
        String experiment = json.firstText("RunHistoryExperimentName", "ExperimentName");
        RunReference reference = references.create(experiment, runId);
        JsonTree status = json.get("Status");
        String statusText = status.firstText("StatusCode");
        RunStatus parsed = statusText == null ? RunStatus.NOT_STARTED : RunStatus.parse(statusText);
        return new PipelineRun(reference, parsed, statusText, time(status.firstText("StartTime")),
                time(status.firstText("EndTime")), null, null);
    }

    /** A run history details response. */
    public static PipelineRun fromDetails(byte[] body, RunReference reference) throws IOException {
        JsonTree json = JsonTree.parse(body);
        if (!json.isObject()) {
            throw new IOException("the response is not a JSON object");
        }
        String statusText = json.firstText("status");
        JsonTree error = json.get("error");
        // Run history wraps the AML error envelope: {"error": {"error": {"code", "message"}}}; accept it flat too.
        JsonTree inner = error.get("error").isObject() ? error.get("error") : error;
        return new PipelineRun(reference, RunStatus.parse(statusText), statusText,
                time(json.firstText("startTimeUtc")), time(json.firstText("endTimeUtc")),
                inner.firstText("code"), inner.firstText("message"));
    }

    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(text,
                    java.time.OffsetDateTime::from, LocalDateTime::from);
            return t instanceof LocalDateTime local ? local.toInstant(ZoneOffset.UTC)
                    : ((java.time.OffsetDateTime) t).toInstant();
        } catch (DateTimeParseException e) {
            return null; // a time is informative only; an odd format must not fail a run
        }
    }

    /** Builds the reference of a newly submitted run (the experiment may be echoed back or not). */
    @FunctionalInterface
    public interface RunReferenceFactory {
        RunReference create(String experimentFromResponse, String runId);
    }
}
