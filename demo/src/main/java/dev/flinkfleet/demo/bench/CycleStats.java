package dev.flinkfleet.demo.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Medians and nearest-rank percentiles over the measured cycles of {@code bench fleet}, and the lines it prints. Pure. */
final class CycleStats {

    /**
     * One measured cycle.
     *
     * @param patches          actuator calls (decisions that changed a size; the budget and safety check may still skip them)
     * @param kubernetesWrites POST, PUT, PATCH and DELETE requests the mock API server served during the cycle
     * @param kubernetesReads  GETs other than watches (informers watch; the daemon lists nothing per cycle)
     * @param writeKinds       the writes by method and resource, e.g. {@code PATCH:flinkdeployments:12,POST:events:3}
     * @param allocatedBytes   bytes allocated by every live thread of the daemon's JVM during the cycle
     */
    record Cycle(double totalMs, double bindMs, double kafkaMs, double promMs, double signalsMs, double decideMs, double patchMs,
                 int jobs, int patches, long promQueries, long kafkaRequests, long kubernetesWrites, long kubernetesReads,
                 long allocatedBytes, String writeKinds) {
    }

    private CycleStats() {
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
    static double percentile(List<Cycle> cycles, ToDoubleFunction<Cycle> f, double p) {
        double[] v = cycles.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static double median(List<Cycle> cycles, ToDoubleFunction<Cycle> f) {
        double[] v = cycles.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The line the issue asks for, last on stdout. */
    static String lastLine(int jobs, List<Cycle> cycles, double heapMiB, double rssMiB, double metricsMB) {
        return String.format(Locale.ROOT, "fleet %d jobs: cycle p50 %.0f ms p99 %.0f ms, heap %.0f MiB, rss %.0f MiB, metrics %.1f MB",
                jobs, median(cycles, Cycle::totalMs), percentile(cycles, Cycle::totalMs, 0.99), heapMiB, rssMiB, metricsMB);
    }

    static String row(int n, Cycle c, int jobs) {
        return String.format(Locale.ROOT,
                "  cycle %d: %6.0f ms = bind %5.0f + signals %5.0f (kafka %5.0f | prometheus %5.0f) + decisions %5.0f + patches %5.0f;"
                        + " jobs %d, actuator calls %d; backend calls: prometheus %d, kafka %d, kubernetes writes %d (%s) reads %d; alloc %.1f KB/job",
                n, c.totalMs(), c.bindMs(), c.signalsMs(), c.kafkaMs(), c.promMs(), c.decideMs(), c.patchMs(), c.jobs(), c.patches(),
                c.promQueries(), c.kafkaRequests(), c.kubernetesWrites(), c.writeKinds(), c.kubernetesReads(), c.allocatedBytes() / 1024.0 / jobs);
    }

    static String medians(List<Cycle> cs, int jobs) {
        return String.format(Locale.ROOT,
                "median by stage: bind %.0f ms, kafka %.0f ms, prometheus %.0f ms (signals %.0f ms, the two in parallel), decisions %.0f ms,"
                        + " patches %.0f ms%n"
                        + "backend calls per cycle (median): prometheus %.0f queries, kafka %.0f admin requests, kubernetes %.0f writes"
                        + " (%.0f actuator calls), %.0f reads%n"
                        + "allocation per job per cycle (median): %.1f KB",
                median(cs, Cycle::bindMs), median(cs, Cycle::kafkaMs), median(cs, Cycle::promMs), median(cs, Cycle::signalsMs),
                median(cs, Cycle::decideMs), median(cs, Cycle::patchMs), median(cs, c -> c.promQueries()), median(cs, c -> c.kafkaRequests()),
                median(cs, c -> c.kubernetesWrites()), median(cs, c -> c.patches()), median(cs, c -> c.kubernetesReads()),
                median(cs, c -> c.allocatedBytes() / 1024.0 / jobs));
    }
}
