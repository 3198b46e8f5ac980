package dev.flinkfleet.policies.signals;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link BacklogSignals} turns offset observations into measurements. The daemon takes these from
 * {@code flinkfleet.kafka}, the simulator from its job model.
 *
 * @param rateWindow     least span the input rate is measured over
 * @param growthWindow   least span between the two commit points growth is measured over (&gt;= checkpoint interval)
 * @param historySamples samples kept per job
 * @param staleAfter     values older than this are {@code STALE}
 */
public record OffsetSettings(Duration rateWindow, Duration growthWindow, int historySamples, Duration staleAfter) {

    public OffsetSettings {
        requirePositive(rateWindow, "rateWindow");
        requirePositive(growthWindow, "growthWindow");
        requirePositive(staleAfter, "staleAfter");
        if (historySamples < 3) {
            throw new IllegalArgumentException("historySamples must be >= 3, got " + historySamples);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }
}
