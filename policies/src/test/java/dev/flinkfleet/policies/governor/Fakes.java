package dev.flinkfleet.policies.governor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.typesafe.config.ConfigFactory;

import dev.flinkfleet.policies.config.GovernorSettings;
import dev.flinkfleet.policies.Recommendation;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.ScalingPolicy;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;

/** Hand-written fakes shared by the engine's tests. */
public final class Fakes {

    private Fakes() {
    }

    /**
     * Governor rules that change nothing (no dead-band, cooldown, window or step limit), so each test case turns
     * on only the rule it is about.
     */
    public static final String NEUTRAL = """
            min-workers = 1
            max-workers = 100
            slots-per-worker = 1
            respect-max-parallelism = true
            snap-to-partition-divisor = false
            tolerance = 0
            scale-up-cooldown = 0s
            scale-down-cooldown = 0s
            scale-down-stabilization-window = 0s
            max-step-up-workers = 0
            max-step-down-fraction = 1
            max-signal-age = 5m
            """;

    /** A governor config: {@code overrides} over {@link #NEUTRAL} over the reference defaults. */
    public static GovernorConfig config(String overrides) {
        return GovernorSettings.read(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString(NEUTRAL))
                .withFallback(ConfigFactory.defaultReference().getConfig(GovernorConfig.PATH)));
    }

    public static Recommendation rec(int target, ReasonCode reason) {
        return new Recommendation(target, reason, "scripted " + target, Map.of());
    }

    /** A policy that computes its recommendation with {@code script} and needs {@code required}. */
    public record ScriptedPolicy(Set<SignalKind> required, Function<Signals, Recommendation> script) implements ScalingPolicy {

        /** Always recommends {@code fixed}. */
        public static ScriptedPolicy fixed(Recommendation fixed, SignalKind... required) {
            return new ScriptedPolicy(Set.of(required), s -> fixed);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Set<SignalKind> requiredSignals() {
            return required;
        }

        @Override
        public Recommendation recommend(Signals signals) {
            return script.apply(signals);
        }
    }

    /** A clock the test moves by hand. */
    public static final class ManualClock extends Clock {
        private Instant now;

        public ManualClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
