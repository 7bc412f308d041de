package io.jenkins.plugins.azureml.client.models;

import java.time.Instant;
import java.util.Objects;

/** A snapshot of a pipeline run: its status and, once it failed, the service's error. */
public final class PipelineRun {
    private final RunReference reference;
    private final RunStatus status;
    private final String statusText;
    private final Instant startTime;
    private final Instant endTime;
    private final String errorCode;
    private final String errorMessage;
    private final String serviceStudioUrl;

    /**
     * @param statusText the status as the service wrote it (kept for runs in statuses this plugin does not know)
     * @param startTime null when not started
     * @param endTime null when not ended
     * @param errorCode null unless the service reported an error
     * @param errorMessage null unless the service reported an error
     */
    public PipelineRun(RunReference reference, RunStatus status, String statusText, Instant startTime,
                       Instant endTime, String errorCode, String errorMessage) {
        this(reference, status, statusText, startTime, endTime, errorCode, errorMessage, null);
    }

    /**
     * @param serviceStudioUrl the studio link the service reported (v2: {@code properties.services.Studio.endpoint}),
     *     or null to use the link built from the reference
     */
    public PipelineRun(RunReference reference, RunStatus status, String statusText, Instant startTime,
                       Instant endTime, String errorCode, String errorMessage, String serviceStudioUrl) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.status = Objects.requireNonNull(status, "status");
        this.statusText = statusText == null ? status.serviceName() : statusText;
        this.startTime = startTime;
        this.endTime = endTime;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.serviceStudioUrl = serviceStudioUrl == null || serviceStudioUrl.isBlank() ? null : serviceStudioUrl;
    }

    public String getRunId() {
        return reference.getRunId();
    }

    public RunStatus getStatus() {
        return status;
    }

    /** The raw status text from the service, e.g. {@code Running} or {@code 1}. */
    public String getStatusText() {
        return statusText;
    }

    public String getExperimentName() {
        return reference.getExperimentName();
    }

    public Instant getStartTime() {
        return startTime;
    }

    public Instant getEndTime() {
        return endTime;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    /** The service's studio link when it sent one (v2 jobs), else the link built from the reference. */
    public String getStudioUrl() {
        return serviceStudioUrl != null ? serviceStudioUrl : reference.studioUrl();
    }

    /** The same snapshot with the error the service reported elsewhere (v2: in run history). */
    public PipelineRun withError(String code, String message) {
        return new PipelineRun(reference, status, statusText, startTime, endTime, code, message, serviceStudioUrl);
    }

    /** What a step persists to find this run again. */
    public RunReference reference() {
        return reference;
    }

    @Override
    public String toString() {
        return "PipelineRun{" + getRunId() + ", " + statusText + (errorCode == null ? "" : ", " + errorCode) + "}";
    }
}
