package dev.flinkfleet.simulator.flink;

import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.util.InstantiationUtil;

import dev.flinkfleet.simulator.SimContext;
import dev.flinkfleet.simulator.Strategy;
import dev.flinkfleet.simulator.engine.FleetReplay;

/**
 * The map of the job: a record (setting, job) in, that job replayed alone under that setting by the simulator's
 * own {@link FleetReplay#runJob}, a record (setting, job, serialized {@link FleetReplay.JobRun}) out. Strategies and
 * replay layouts are built once per task, from the replay's recipe.
 */
final class ReplayJobs extends RichMapFunction<Tuple2<Integer, Integer>, Tuple3<Integer, Integer, byte[]>> {

    private static final long serialVersionUID = 1L;

    private final FleetReplay replay;
    private final List<String> names;
    private transient List<SimContext.Setup> setups;
    private transient List<Strategy> strategies;

    ReplayJobs(FleetReplay replay, List<String> names) {
        this.replay = replay;
        this.names = List.copyOf(names);
    }

    @Override
    public void open(OpenContext context) {
        setups = replay.setups();
        strategies = Strategies.build(replay, names);
    }

    @Override
    public Tuple3<Integer, Integer, byte[]> map(Tuple2<Integer, Integer> work) throws Exception {
        return Tuple3.of(work.f0, work.f1, InstantiationUtil.serializeObject(replay.runJob(setups, strategies.get(work.f0), work.f1)));
    }
}
