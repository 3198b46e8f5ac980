package dev.flinkfleet.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

import dev.flinkfleet.simulator.BadInputException;

class JobModelFileTest {

    @TempDir
    Path dir;

    record Bad(String name, String conf, int line, String says) {
    }

    static Stream<Bad> badFiles() {
        return Stream.of(
                new Bad("unknown key", "per-worker-eps = 10\nworkers-per-eps = 3\n", 2, "unknown job-model key 'workers-per-eps'"),
                new Bad("unknown key in override", "overrides {\n  \"a.csv\" {\n    trace-scal = 2\n  }\n}\n", 3, "overrides.\"a.csv\".trace-scal"),
                new Bad("negative restart", "restart-seconds = -1\n", 1, "restart-seconds"),
                new Bad("exponent above one", "\nscaling-exponent = 1.2\n", 2, "scaling-exponent"),
                new Bad("bad override value", "overrides {\n  \"a.csv\" { per-worker-eps = 0 }\n}\n", 2, "per-worker-eps"),
                new Bad("wrong type", "max-parallelism = lots\n", 1, "max-parallelism"),
                new Bad("block for a value", "trace-scale { x = 1 }\n", 1, "must be a value"),
                new Bad("missing include", "per-worker-eps = 10\ninclude \"other-job.conf\"\n", 2, "\"other-job.conf\" not found"),
                new Bad("fractional count", "\n\ninitial-workers = 2.5\n", 3, "whole number"),
                new Bad("bad value after an unknown key", "restart-secs = 1\nrestart-seconds = -1\n", 2, "restart-seconds"),
                new Bad("unknown fleet key", "fleet {\n  max-rescales-per-hour = 3\n}\n", 2, "unknown fleet key 'fleet.max-rescales-per-hour'"),
                new Bad("negative fleet budget", "\nfleet { max-rescales-per-minute = -1 }\n", 2, "fleet.max-rescales-per-minute"),
                new Bad("fractional fleet budget", "fleet.max-rescales-per-minute = 2.5\n", 1, "whole number"),
                new Bad("fleet as a value", "fleet = 5\n", 1, "'fleet' must be a block"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badJobFilesAreRejectedWithFileAndLine(Bad c) throws IOException {
        Path f = dir.resolve("job.conf");
        Files.writeString(f, c.conf());
        BadInputException e = assertThrows(BadInputException.class, () -> JobModelFile.load(f));
        assertTrue(e.getMessage().contains("job.conf:" + c.line()), e.getMessage());
        assertTrue(e.getMessage().contains(c.says()), e.getMessage());
    }

    @Test
    void overridesApplyToTheirFileOnly() throws IOException {
        Path f = dir.resolve("job.conf");
        Files.writeString(f, "per-worker-eps = 200\noverrides { \"AAPL.csv\" { trace-scale = 7, restart-seconds = 5 } }\n");
        JobModelFile m = JobModelFile.load(f);
        assertEquals(7, m.modelFor("AAPL.csv").traceScale());
        assertEquals(5, m.modelFor("AAPL.csv").restartSeconds());
        assertEquals(200, m.modelFor("AAPL.csv").perWorkerEps());
        assertEquals(reference().getDouble("trace-scale"), m.modelFor("IBM.csv").traceScale());
    }

    @Test
    void theFleetBudgetDefaultsToTheDaemonsAndIsReadFromTheFleetBlock() throws IOException {
        assertEquals(20, JobModelFile.defaults().maxRescalesPerMinute());
        Path f = dir.resolve("job.conf");
        Files.writeString(f, "per-worker-eps = 200\nfleet { max-rescales-per-minute = 0 }\n");
        assertEquals(0, JobModelFile.load(f).maxRescalesPerMinute());
        assertEquals(200, JobModelFile.load(f).modelFor("x.csv").perWorkerEps());
    }

    @Test
    void pausedTracesMustBeAmongTheTraces() throws IOException {
        Path f = dir.resolve("job.conf");
        Files.writeString(f, "fleet {\n  paused-traces = [\"a.csv\", \"typo.csv\"]\n}\n");
        JobModelFile m = JobModelFile.load(f);
        assertEquals(java.util.Set.of("a.csv", "typo.csv"), m.fleet().pausedTraces());
        java.util.List<dev.flinkfleet.simulator.trace.Trace> traces = java.util.List.of(
                new dev.flinkfleet.simulator.trace.Trace("a", "a.csv", java.time.Instant.EPOCH, 60, new double[] {1, 2}));
        BadInputException e = assertThrows(BadInputException.class, () -> dev.flinkfleet.simulator.Fleet.setups(traces, m));
        assertTrue(e.getMessage().contains("job.conf:2: fleet.paused-traces names \"typo.csv\", which is none of the traces: [a.csv]"), e.getMessage());
    }

    @Test
    void everyFleetKeyIsDocumented() {
        Config fleet = ConfigFactory.defaultReference().getConfig(JobModelFile.FLEET_PATH);
        for (Map.Entry<String, ConfigValue> e : fleet.root().entrySet()) {
            assertTrue(!e.getValue().origin().comments().isEmpty(), "undocumented fleet key " + e.getKey());
        }
    }

    @Test
    void targetPeakWorkersScalesThePeakToThatManyWorkers() {
        JobModel m = JobModelFile.defaults().modelFor("x.csv");
        double peak = 6.75;
        assertEquals(m.targetPeakWorkers(), m.workersFor(peak * m.scaleFor(peak)));
        assertEquals(m.targetPeakWorkers() + 1, m.workersFor(peak * m.scaleFor(peak) * 1.01));
    }

    @Test
    void everyReferenceKeyIsDocumented() {
        for (Map.Entry<String, ConfigValue> e : reference().root().entrySet()) {
            assertTrue(!e.getValue().origin().comments().isEmpty(), "undocumented job-model key " + e.getKey());
        }
    }

    @Test
    void workersForIsTheFewestThatCarryTheRate() {
        JobModel m = new JobModel(100, 0.8, 1, 60, 60, 1000, 0, 300, 1, 30, 60, 120, 60, 10, 1, 0);
        for (double rate : new double[] {1, 99, 100, 101, 555, 4321}) {
            int n = m.workersFor(rate);
            assertTrue(m.capacity(n) >= rate, "n=" + n + " rate " + rate);
            assertTrue(n == 1 || m.capacity(n - 1) < rate, "n-1 also carries " + rate);
        }
    }

    private static Config reference() {
        return ConfigFactory.defaultReference().getConfig(JobModelFile.PATH);
    }
}
