package dev.flinkfleet.simulator.flink;

import java.io.File;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.InstantiationUtil;

import dev.flinkfleet.simulator.engine.FleetReplay;
import dev.flinkfleet.simulator.engine.ReplayEngine;

/**
 * Replays a fleet as a Flink batch job (DataStream API in {@link RuntimeExecutionMode#BATCH}): one record per
 * (setting, job), the job's replay in a map ({@link ReplayJobs}), the results keyed by setting and gathered in job
 * order ({@link PerSetting}), collected back here. On an embedded MiniCluster, or on the cluster at {@code --flink-cluster} with this
 * module's jar (which holds the simulator) shipped along.
 */
final class FlinkReplayEngine implements ReplayEngine {

    private static final TypeInformation<Tuple2<Integer, Integer>> WORK = Types.TUPLE(Types.INT, Types.INT);
    private static final TypeInformation<Tuple3<Integer, Integer, byte[]>> RUN =
            Types.TUPLE(Types.INT, Types.INT, Types.PRIMITIVE_ARRAY(Types.BYTE));

    private final ClusterAddress cluster;
    private final int parallelism;

    FlinkReplayEngine(ClusterAddress cluster, int parallelism) {
        this.cluster = cluster;
        this.parallelism = parallelism;
    }

    @Override
    public List<StrategyResult> run(FleetReplay replay, List<String> names, PrintWriter err) throws Exception {
        int jobs = replay.jobs().size();
        List<Tuple2<Integer, Integer>> work = new ArrayList<>(names.size() * jobs);
        for (int s = 0; s < names.size(); s++) {
            for (int k = 0; k < jobs; k++) {
                work.add(Tuple2.of(s, k));
            }
        }
        StreamExecutionEnvironment env = environment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(parallelism);
        DataStream<Tuple2<Integer, byte[]>> perSetting = env.fromData(work, WORK)
                .rebalance()
                .map(new ReplayJobs(replay, names), RUN).name("replay job")
                .keyBy(r -> r.f0, Types.INT)
                .process(new PerSetting(replay, names), PerSetting.RESULT).name("per setting");
        err.println(String.format(Locale.ROOT, "flink: %d settings × %d jobs on %s, parallelism %d", names.size(), jobs,
                cluster == null ? "a MiniCluster" : cluster, parallelism));
        err.flush();
        StrategyResult[] out = new StrategyResult[names.size()];
        ClassLoader loader = FlinkReplayEngine.class.getClassLoader();
        try (CloseableIterator<Tuple2<Integer, byte[]>> it = perSetting.executeAndCollect("flinkfleet replay: " + names.size() + " settings")) {
            while (it.hasNext()) {
                Tuple2<Integer, byte[]> r = it.next();
                out[r.f0] = InstantiationUtil.deserializeObject(r.f1, loader);
            }
        } catch (Exception e) {
            // The job's own failure is deep in Flink's wrapping; say what failed.
            Throwable root = ExceptionUtils.stripExecutionException(e);
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalStateException("flink replay failed: " + root, e);
        }
        for (int s = 0; s < out.length; s++) {
            if (out[s] == null) {
                throw new IllegalStateException("flink replay returned no result for " + names.get(s));
            }
        }
        return List.of(out);
    }

    private StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        // Results are small and stay on loopback; compressing the shuffle only costs CPU (and needs lz4-java).
        conf.set(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED, false);
        if (cluster == null) {
            return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(cluster.host(), cluster.port(), conf, jobJars());
    }

    /**
     * The jar that holds this class, the simulator and its libraries (the module's shaded jar), shipped to the
     * cluster. From a build folder (tests) there is none to ship: only a cluster that has these classes on its own
     * class path (one in this JVM) can then run the job.
     */
    static String[] jobJars() {
        try {
            Path where = Path.of(FlinkReplayEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            File f = where.toFile();
            return f.isFile() && f.getName().endsWith(".jar") ? new String[] {f.getAbsolutePath()} : new String[0];
        } catch (URISyntaxException | RuntimeException e) {
            return new String[0];
        }
    }
}
