package io.jenkins.plugins.azureml.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real time plus an offset the test moves forward with {@link #advance(Duration)}. Token expiry and run times use
 * it, so a test can jump past a token's lifetime without waiting. Also a plain {@link Clock} for engine code.
 */
public final class SimulatorClock extends Clock {
    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public SimulatorClock() {
        this(Clock.systemUTC());
    }

    public SimulatorClock(Clock base) {
        this.base = base;
    }

    public void advance(Duration duration) {
        offsetMillis.addAndGet(duration.toMillis());
    }

    @Override
    public Instant instant() {
        return base.instant().plusMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
