package io.jenkins.plugins.azureml.run;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link RunMonitor} paces status polls: the first delay, the backoff factor and ceiling (like
 * WaitForConditionStep: ×1.2 from 5 s up to 60 s), and how many transient poll errors in a row it tolerates.
 * Immutable; the {@code with} methods return copies.
 */
public final class MonitorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 5 s, ×1.2, at most 60 s, 10 transient errors in a row, a console heartbeat every 5 minutes. */
    public static final MonitorSettings DEFAULT = new MonitorSettings(Duration.ofSeconds(5), 1.2,
            Duration.ofSeconds(60), 10, Duration.ofMinutes(5));

    private final long initialDelayMillis;
    private final double backoffFactor;
    private final long maxDelayMillis;
    private final int transientErrorBudget;
    private final long heartbeatMillis;

    private MonitorSettings(Duration initialDelay, double backoffFactor, Duration maxDelay, int transientErrorBudget,
            Duration heartbeat) {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay");
        }
        if (backoffFactor < 1.0 || transientErrorBudget < 0) {
            throw new IllegalArgumentException("need backoffFactor >= 1 and transientErrorBudget >= 0");
        }
        this.initialDelayMillis = initialDelay.toMillis();
        this.backoffFactor = backoffFactor;
        this.maxDelayMillis = maxDelay.toMillis();
        this.transientErrorBudget = transientErrorBudget;
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("need heartbeat > 0");
        }
        this.heartbeatMillis = heartbeat.toMillis();
    }

    public MonitorSettings withDelays(Duration initialDelay, double backoffFactor, Duration maxDelay) {
        return new MonitorSettings(initialDelay, backoffFactor, maxDelay, transientErrorBudget, heartbeat());
    }

    public MonitorSettings withTransientErrorBudget(int budget) {
        return new MonitorSettings(Duration.ofMillis(initialDelayMillis), backoffFactor,
                Duration.ofMillis(maxDelayMillis), budget, heartbeat());
    }

    /** A copy whose console heartbeat (a line while the status stays the same) comes every {@code interval}. */
    public MonitorSettings withHeartbeat(Duration interval) {
        return new MonitorSettings(Duration.ofMillis(initialDelayMillis), backoffFactor,
                Duration.ofMillis(maxDelayMillis), transientErrorBudget, interval);
    }

    /** How long the console stays silent while the status does not change; 5 minutes by default. */
    public Duration heartbeat() {
        // 0 in settings serialized before the heartbeat existed
        return heartbeatMillis > 0 ? Duration.ofMillis(heartbeatMillis) : Duration.ofMinutes(5);
    }

    public Duration initialDelay() {
        return Duration.ofMillis(initialDelayMillis);
    }

    public double backoffFactor() {
        return backoffFactor;
    }

    public Duration maxDelay() {
        return Duration.ofMillis(maxDelayMillis);
    }

    /** Consecutive transient errors tolerated; one more gives up. */
    public int transientErrorBudget() {
        return transientErrorBudget;
    }

    /** The delay after {@code current}: ×factor, capped. */
    long next(long currentMillis) {
        return Math.min(maxDelayMillis, Math.max(currentMillis, Math.round(currentMillis * backoffFactor)));
    }
}
