package dev.flinkfleet.autoscaler.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flinkfleet.policies.Decision;
import dev.flinkfleet.policies.GovernorState;
import dev.flinkfleet.policies.JobOutcome;
import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.ReasonCode;
import dev.flinkfleet.policies.Recommendation;

/** The decision log renders a policy's explanation only for a line it writes. */
class DecisionLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("flinkfleet.decisions");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level level;

    @BeforeEach
    void attach() {
        level = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }

    /** Two cycles of the same job at a logger level; the second repeats the first's reason. */
    record Case(String name, Level level, int from, int to, int lines, int renders) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("WARN: scale-ups written nowhere, nothing rendered", Level.WARN, 4, 6, 0, 0),
                new Case("INFO: each scale-up written and rendered", Level.INFO, 4, 6, 2, 2),
                new Case("INFO: a repeated hold goes to DEBUG, which is off: rendered once", Level.INFO, 4, 4, 1, 1),
                new Case("DEBUG: the repeated hold is written too", Level.DEBUG, 4, 4, 2, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersOnlyWhatItWrites(Case c) {
        logger.setLevel(c.level());
        AtomicInteger renders = new AtomicInteger();
        JobRef job = new JobRef("ns", "job");
        ReasonCode reason = c.to() > c.from() ? ReasonCode.SCALE_UP_BACKLOG : ReasonCode.HOLD_IN_RANGE;
        Recommendation rec = new Recommendation(c.to(), reason, () -> {
            renders.incrementAndGet();
            return "wanted \"" + c.to() + "\"";
        }, Map.of("backlog", 1234.0));
        Decision d = new Decision(job, DaemonTestSupport.NOW, c.from(), c.to(), rec, reason, List.of(), Quality.FRESH,
                GovernorState.empty());
        JobOutcome base = DaemonTestSupport.outcome(job, "app", c.from(), c.to(), reason, null);
        JobOutcome o = new JobOutcome(base.plan(), base.signals(), d, null, null);

        DecisionLog log = new DecisionLog();
        log.onJob(o);
        log.onJob(o);

        assertEquals(c.lines(), appender.list.size());
        assertEquals(c.renders(), renders.get());
        for (ILoggingEvent e : appender.list) {
            assertTrue(e.getFormattedMessage().contains("why=\"wanted '" + c.to() + "'\""), e.getFormattedMessage());
        }
    }
}
