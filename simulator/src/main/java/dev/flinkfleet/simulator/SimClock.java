package dev.flinkfleet.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the simulation moves: the control loop and governor read simulated time from it. Not thread-safe. */
public final class SimClock extends Clock {

    private long epochSecond;

    public SimClock(long epochSecond) {
        this.epochSecond = epochSecond;
    }

    public void set(long epochSecond) {
        this.epochSecond = epochSecond;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC");
    }

    @Override
    public long millis() {
        return epochSecond * 1000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(epochSecond);
    }
}
