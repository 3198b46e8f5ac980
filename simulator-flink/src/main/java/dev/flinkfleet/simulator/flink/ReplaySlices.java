package dev.flinkfleet.simulator.flink;

import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;

import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.FleetReplay;

/**
 * The map of the job: one record (setting, slice) in, the slice's jobs replayed under the setting by the
 * simulator's own {@link FleetReplay#runSlice}, one record (setting, job, serialized {@link RunResult}) out per job.
 * Strategies and replay layouts are built once per task, here, from the replay's recipe.
 */
final class ReplaySlices extends RichFlatMapFunction<Tuple2<Integer, Integer>, Tuple3<Integer, Integer, byte[]>> {

    private static final long serialVersionUID = 1L;

    private final FleetReplay replay;
    private final List<String> names;
    private transient List<SimContext.Setup> setups;
    private transient List<Strategy> strategies;
    private transient List<int[]> slices;

    ReplaySlices(FleetReplay replay, List<String> names) {
        this.replay = replay;
        this.names = List.copyOf(names);
    }

    @Override
    public void open(OpenContext context) {
        setups = replay.setups();
        slices = replay.slices();
        strategies = replay.strategies().build();
        List<String> built = strategies.stream().map(Strategy::name).toList();
        if (!built.equals(names)) {
            // E.g. a baseline module (simulator-operator) on the client's class path but not on the cluster's.
            throw new IllegalStateException("the task built the strategies " + built + ", the client " + names
                    + "; the cluster's class path differs from the client's");
        }
    }

    @Override
    public void flatMap(Tuple2<Integer, Integer> work, Collector<Tuple3<Integer, Integer, byte[]>> out) throws Exception {
        int[] slice = slices.get(work.f1);
        List<RunResult> runs = replay.runSlice(setups, strategies.get(work.f0), slice);
        for (int k = 0; k < slice.length; k++) {
            out.collect(Tuple3.of(work.f0, slice[k], InstantiationUtil.serializeObject(runs.get(k))));
        }
    }
}
