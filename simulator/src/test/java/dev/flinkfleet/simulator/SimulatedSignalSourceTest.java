package dev.flinkfleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.policies.Quality;
import dev.flinkfleet.policies.SignalKind;
import dev.flinkfleet.policies.Signals;
import dev.flinkfleet.policies.signals.OffsetObservation;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;

class SimulatedSignalSourceTest {

    static final JobRef JOB = new JobRef("sim", "a");

    // 100 ev/s per worker, 60 s restart, 60 s checkpoints; 10 s steps; rate window 6 steps, growth window 12; no delay.
    final JobModel model = new JobModel(100, 1, 1, 60, 60, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0);
    final FluidJob job = new FluidJob(model, 10, 2);
    final SimulatedSignalSource source = new SimulatedSignalSource(JOB, job, 10, 0, 6, 12);
    long step;

    void steps(int n, double rate) {
        for (int i = 0; i < n; i++) {
            job.step(rate);
            source.record();
            step++;
        }
    }

    Instant now() {
        return Instant.ofEpochSecond(1_700_000_000L + step * 10);
    }

    @Test
    void steadyOverloadShowsTrueCapacityGrowthAndBacklogTime() {
        steps(12, 250); // 2 workers carry 200 ev/s: backlog grows by 50/s
        Signals s = source.current(now());
        // One Kafka read so far: no log-end rate yet, so the input rate is records-out plus the slope of pendingRecords.
        assertEquals(250, s.inputRate().value(), 1e-9);
        assertEquals(200, s.throughput().value(), 1e-9);
        assertEquals(1, s.cpu().value(), 1e-9, "busy time saturates while the backlog grows");
        assertEquals(50, s.backlogGrowth().value(), 1e-9);
        assertEquals(50 * 120, s.backlog().value(), 1e-9);
        assertEquals(50 * 120 / 200.0, s.backlogTime().value(), 1e-9);
        assertEquals(1000, s.maxParallelism(), "partitions, as Kafka reports them");
    }

    @Test
    void aRestartingJobIsNotScrapedSoItsLastSamplesAgeAndKafkaLagTakesOver() {
        JobModel slowRestart = new JobModel(100, 1, 1, 90, 60, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0);
        FluidJob f = new FluidJob(slowRestart, 10, 2);
        SimulatedSignalSource src = new SimulatedSignalSource(JOB, f, 10, 0, 6, 12);
        List<Long> commits = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            if (i == 12) {
                f.rescale(3);
            }
            f.step(100);
            src.record();
            commits.add(src.observe(Instant.EPOCH).offsets().positionSum().getAsLong());
        }
        // 70 s into a 90 s restart: the last scrape is from before the stop.
        Signals s = src.current(Instant.ofEpochSecond(190));
        assertEquals(100, s.throughput().value(), 1e-9);
        assertEquals(70, s.throughput().ageSeconds(), 1e-9);
        assertEquals(Quality.STALE, s.throughput().quality());
        assertEquals(Quality.STALE, s.cpu().quality());
        // pendingRecords is stale, so the lag from committed offsets wins: 19,000 arrived, less the last commit
        // before the stop (the replayed half interval is not in the offsets: a restore never moves a commit back).
        assertEquals(19_000 - commits.get(11), s.backlog().value(), 1e-9);
        assertEquals(commits.get(11), commits.get(18), "no checkpoint while restarting");
        assertEquals(Quality.FRESH, s.backlog().quality());
    }

    @Test
    void throughputAndCpuCoverOnlyTheRunningPartOfTheWindow() {
        steps(12, 100);
        job.rescale(3);
        steps(9, 100); // 6 steps down, 3 steps running at 300 ev/s on the backlog
        Signals s = source.current(now());
        assertEquals(300, s.throughput().value(), 1e-9);
        assertEquals(1, s.cpu().value(), 1e-9);
    }

    @Test
    void committedOffsetsMoveOnlyOnCheckpointsAndTheSawtoothIsNotGrowth() {
        List<Integer> moved = new ArrayList<>();
        long lagMin = Long.MAX_VALUE;
        long lagMax = 0;
        long previous = -1;
        Signals last = null;
        for (int i = 0; i < 60; i++) {
            steps(1, 150); // 2 workers keep up with 150 ev/s
            OffsetObservation o = source.observe(now()).offsets();
            long position = o.positionSum().getAsLong();
            if (previous >= 0 && position != previous) {
                moved.add(i);
            }
            previous = position;
            lagMin = Math.min(lagMin, o.totalLag().getAsLong());
            lagMax = Math.max(lagMax, o.totalLag().getAsLong());
            if (step % 6 == 0) {
                last = source.current(now());
            }
        }
        assertTrue(moved.size() >= 9, "a commit per 60 s checkpoint: " + moved);
        for (int i = 1; i < moved.size(); i++) {
            assertEquals(6, moved.get(i) - moved.get(i - 1), "commits " + moved);
        }
        assertTrue(lagMax >= lagMin + 150 * 50, "the lag saws up between checkpoints: " + lagMin + ".." + lagMax);
        var kafka = source.offsetDerivation().measurements(JOB, now(), "");
        assertEquals(0, kafka.backlogGrowth().value(), 1e-9, "growth between commit points is 0 for a job that keeps up");
        assertEquals(150, last.inputRate().value(), 1e-9, "log-end offset rate");
    }

    @Test
    void lostSamplesLeaveSignalsMissingNeverZero() {
        JobModel lossy = new JobModel(100, 1, 1, 60, 60, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0, 10, 60, 180, 1.0);
        FluidJob f = new FluidJob(lossy, 10, 2);
        SimulatedSignalSource s = new SimulatedSignalSource(JOB, f, 10, 0, 6, 12);
        for (int i = 0; i < 30; i++) {
            f.step(150);
            s.record();
        }
        Instant now = Instant.ofEpochSecond(300);
        assertEquals(OffsetObservation.Status.FAILED, s.observe(now).offsets().status());
        Signals sig = s.current(now);
        for (SignalKind k : SignalKind.values()) {
            assertTrue(sig.get(k).isMissing(), k + ": " + sig.get(k));
        }
    }

    @Test
    void aFractionOfScrapesIsLostRepeatably() {
        JobModel lossy = new JobModel(100, 1, 1, 60, 60, 1000, 0, 300, 1, 0, 60, 120, 60, 10, 1, 0, 10, 60, 180, 0.5);
        FluidJob f = new FluidJob(lossy, 10, 2);
        SimulatedSignalSource s = new SimulatedSignalSource(JOB, f, 10, 0, 6, 12);
        int older = 0;
        for (int i = 1; i <= 400; i++) {
            f.step(150);
            s.record();
            Instant now = Instant.ofEpochSecond(i * 10L);
            var m = s.observe(now).metrics();
            assertEquals(m, s.observe(now).metrics(), "the same instant sees the same samples");
            if (m.backlog() != null && m.backlog().timestampSeconds() < now.getEpochSecond()) {
                older++;
            }
        }
        assertTrue(older > 100 && older < 300, older + " of 400 newest scrapes lost");
    }
}
