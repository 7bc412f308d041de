package io.jenkins.plugins.azureml.run;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How waiting for a run ended, with what a Pipeline step returns (run id, status, studio link, error) and whether it
 * fails the step.
 */
public final class RunOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The ways a wait ends. */
    public enum Result {
        /** The run completed. */
        SUCCEEDED,
        /** The run failed; {@link #getErrorMessage()} has the service's message. */
        FAILED,
        /** The run was canceled (by someone else, or after our cancel). */
        CANCELED,
        /** The deadline passed; the run was asked to cancel. */
        TIMED_OUT,
        /** Status could not be read (non-transient error, or transient errors beyond the budget). */
        ERROR,
        /** The waiting build was aborted; the run was asked to cancel. */
        ABORTED
    }

    private final Result result;
    private final String runId;
    private final String status;
    private final String studioUrl;
    private final String errorCode;
    private final String errorMessage;
    private final String summary;

    RunOutcome(Result result, String runId, String status, String studioUrl, String errorCode, String errorMessage,
               String summary) {
        this.result = result;
        this.runId = runId;
        this.status = status;
        this.studioUrl = studioUrl;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.summary = summary;
    }

    public Result getResult() {
        return result;
    }

    public String getRunId() {
        return runId;
    }

    /** The last status the service reported (raw text), or null if none was read. */
    public String getStatus() {
        return status;
    }

    public String getStudioUrl() {
        return studioUrl;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    /** One line for the console and for the step's failure message. */
    public String getSummary() {
        return summary;
    }

    /**
     * Whether the step fails: never on success; on a failed or canceled run only when {@code propagate}; always
     * when the wait timed out (the author set the limit: passing it is the step's failure, not the run's), when
     * status could not be read, or when the build was aborted.
     */
    public boolean failsStep(boolean propagate) {
        switch (result) {
            case SUCCEEDED: return false;
            case FAILED:
            case CANCELED: return propagate;
            default: return true;
        }
    }

    /** The step's return value: runId, status, studioUrl, result, and errorCode/errorMessage when present. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("runId", runId);
        map.put("status", status == null ? "" : status);
        map.put("studioUrl", studioUrl);
        map.put("result", result.name());
        if (errorCode != null) {
            map.put("errorCode", errorCode);
        }
        if (errorMessage != null) {
            map.put("errorMessage", errorMessage);
        }
        return map;
    }

    @Override
    public String toString() {
        return summary;
    }
}
