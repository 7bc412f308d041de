package io.jenkins.plugins.azureml.client.models;

import java.util.Locale;

/**
 * The status of an Azure ML run, as run history reports it. Terminal statuses are {@link #COMPLETED},
 * {@link #FAILED} and {@link #CANCELED}; a value this plugin does not know maps to {@link #UNKNOWN}, which is not
 * terminal, so waiting goes on.
 */
public enum RunStatus {
    NOT_STARTED("NotStarted"),
    QUEUED("Queued"),
    PREPARING("Preparing"),
    PROVISIONING("Provisioning"),
    STARTING("Starting"),
    RUNNING("Running"),
    FINALIZING("Finalizing"),
    CANCEL_REQUESTED("CancelRequested"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    CANCELED("Canceled"),
    UNAPPROVED("Unapproved"),
    NOT_RESPONDING("NotResponding"),
    PAUSING("Pausing"),
    PAUSED("Paused"),
    UNKNOWN("Unknown");

    private final String serviceName;

    RunStatus(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The name the service uses, e.g. {@code NotStarted}. */
    public String serviceName() {
        return serviceName;
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public boolean isSuccessful() {
        return this == COMPLETED;
    }

    /**
     * Parses a status name (case-insensitive, e.g. {@code Running}, {@code NOT_STARTED}) or the pipelines
     * service's numeric StatusCode 0..4 (NotStarted, Running, Failed, Finished, Canceled).
     *
     * @return the status, or {@link #UNKNOWN} for null or an unrecognised value
     */
    public static RunStatus parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String t = text.trim();
        switch (t) {
            case "0": return NOT_STARTED;
            case "1": return RUNNING;
            case "2": return FAILED;
            case "3": return COMPLETED;
            case "4": return CANCELED;
            default: break;
        }
        String key = t.replace("_", "").replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
        switch (key) {
            case "finished": return COMPLETED;
            case "cancelled": return CANCELED;
            case "cancelrequested":
            case "cancellationrequested": return CANCEL_REQUESTED;
            default: break;
        }
        for (RunStatus s : values()) {
            if (s != UNKNOWN && s.serviceName.toLowerCase(Locale.ROOT).equals(key)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /** Maps the pipelines service's numeric StatusCode. */
    public static RunStatus fromStatusCode(int code) {
        return parse(Integer.toString(code));
    }
}
