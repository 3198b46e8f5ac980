package dev.flinkfleet.autoscaler.daemon;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flinkfleet.policies.CycleListener;
import dev.flinkfleet.policies.JobOutcome;

/**
 * For fault tests: records every job outcome the daemon produced and every line {@link BackendHealth} logged,
 * counts wrong-direction scalings (any scale-down decided while the test feeds only missing, stale or failed
 * data, or held data that calls for no scale-down), and reads the admin endpoints.
 */
final class FaultRecorder implements CycleListener, AutoCloseable {

    final List<JobOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(BackendHealth.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ch.qos.logback.classic.Level level = logger.getLevel();

    FaultRecorder() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(ch.qos.logback.classic.Level.INFO); // recoveries are logged at INFO
    }

    @Override
    public void onJob(JobOutcome o) {
        outcomes.add(o);
    }

    /** Decisions that scaled a job down: none may happen on missing, stale or failed data. */
    long scaleDowns() {
        return outcomes.stream().filter(o -> o.decision() != null && o.decision().scalesDown()).count();
    }

    /** Outcomes whose error escaped deciding or actuating (held with HOLD_ERROR). */
    long errors() {
        return outcomes.stream().filter(JobOutcome::failed).count();
    }

    /** BackendHealth's log lines that contain {@code text}. */
    List<String> logLines(String text) {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .filter(l -> l.contains(text)).collect(Collectors.toList());
    }

    String get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** The value of one exposed series, e.g. {@code flinkfleet_backend_up{backend="kafka:hung"}}; NaN when absent. */
    double metric(int port, String series) throws Exception {
        return get(port, "/metrics").lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst().orElse(Double.NaN);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }
}
