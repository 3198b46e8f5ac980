package dev.flinkfleet.simulator.flink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;

import dev.flinkfleet.simulator.Fleet;
import dev.flinkfleet.simulator.RunResult;
import dev.flinkfleet.simulator.engine.FleetReplay;
import dev.flinkfleet.simulator.engine.ReplayEngine;

/**
 * The aggregation, keyed by setting: gathers the setting's per-job runs and, when its input ends (a batch job fires
 * every timer at the end of its key), emits them in job order with the fleet headline. When the fleet's rescale
 * budget would have held one of the merged rescales, the per-job runs are not the fleet's: the setting is replayed
 * again here as one fleet. The headline sums in job order, as the in-process path does, so both give the same
 * floating-point numbers.
 */
final class PerSetting extends KeyedProcessFunction<Integer, Tuple3<Integer, Integer, byte[]>, Tuple2<Integer, byte[]>> {

    private static final long serialVersionUID = 1L;

    static final TypeInformation<Tuple2<Integer, byte[]>> RESULT = Types.TUPLE(Types.INT, Types.PRIMITIVE_ARRAY(Types.BYTE));

    private final FleetReplay replay;
    private final List<String> names;
    private transient ListState<Tuple2<Integer, byte[]>> runs;

    PerSetting(FleetReplay replay, List<String> names) {
        this.replay = replay;
        this.names = List.copyOf(names);
    }

    @Override
    public void open(OpenContext context) {
        runs = getRuntimeContext().getListState(new ListStateDescriptor<>("runs", RESULT));
    }

    @Override
    public void processElement(Tuple3<Integer, Integer, byte[]> run, Context ctx, Collector<Tuple2<Integer, byte[]>> out) throws Exception {
        runs.add(Tuple2.of(run.f1, run.f2));
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple2<Integer, byte[]>> out) throws Exception {
        List<Tuple2<Integer, byte[]>> all = new ArrayList<>();
        runs.get().forEach(all::add);
        runs.clear();
        all.sort(Comparator.comparing(t -> t.f0));
        ClassLoader loader = getRuntimeContext().getUserCodeClassLoader();
        List<FleetReplay.JobRun> jobs = new ArrayList<>(all.size());
        for (Tuple2<Integer, byte[]> t : all) {
            jobs.add(InstantiationUtil.deserializeObject(t.f1, loader));
        }
        int setting = ctx.getCurrentKey();
        if (jobs.size() != replay.jobs().size()) {
            throw new IllegalStateException(names.get(setting) + ": " + jobs.size() + " of " + replay.jobs().size() + " jobs replayed");
        }
        List<RunResult> results;
        if (replay.budgetHeld(jobs)) {
            results = replay.runWhole(replay.setups(), Strategies.build(replay, names).get(setting));
        } else {
            results = jobs.stream().map(FleetReplay.JobRun::result).toList();
        }
        var result = new ReplayEngine.StrategyResult(results, Fleet.headline(names.get(setting), results));
        out.collect(Tuple2.of(setting, InstantiationUtil.serializeObject(result)));
    }
}
