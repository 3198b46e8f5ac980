package dev.flinkfleet.simulator;

import dev.flinkfleet.policies.JobRef;
import dev.flinkfleet.simulator.model.FluidJob;
import dev.flinkfleet.simulator.model.JobModel;
import dev.flinkfleet.simulator.trace.Trace;

/**
 * Everything about one job's replay that a controller may use.
 *
 * @param setup   the job's trace, model and step layout
 * @param fluid   the job model's state
 * @param signals the delayed signal source
 * @param clock   the simulated clock
 */
public record SimContext(Setup setup, FluidJob fluid, SimulatedSignalSource signals, SimClock clock) {

    /**
     * The fixed layout of one job's replay.
     *
     * @param job           the job (namespace {@code sim}, name from the trace file)
     * @param trace         the raw trace
     * @param model         the job model for this trace
     * @param scale         factor applied to the trace's rates
     * @param dtSeconds     model step
     * @param stepsPerRow   model steps per trace row
     * @param controlSteps  model steps between control ticks
     * @param delaySteps    metrics delay in model steps
     * @param windowSteps   rate window in model steps
     * @param growthSteps   backlog-growth window in model steps
     */
    public record Setup(JobRef job, Trace trace, JobModel model, double scale, int dtSeconds, int stepsPerRow,
                        int controlSteps, int delaySteps, int windowSteps, int growthSteps) {

        public long steps() {
            return (long) trace.length() * stepsPerRow;
        }

        /** Scaled input rate during model step {@code step}. */
        public double rateAt(long step) {
            return trace.rates()[(int) (step / stepsPerRow)] * scale;
        }

        public long epochAt(long step) {
            return trace.start().getEpochSecond() + step * dtSeconds;
        }

        /** Scaled peak rate of the whole trace. */
        public double scaledPeak() {
            return trace.peak() * scale;
        }

        public static Setup of(Trace trace, JobModel model) {
            return of(trace, model, key -> key);
        }

        /**
         * The replay layout, after checking {@link ReplayLimits}; {@code keyAt} names a job-model key with the file
         * and line that set it, for the error.
         */
        public static Setup of(Trace trace, JobModel model, java.util.function.UnaryOperator<String> keyAt) {
            int dt = largestDivisorAtMost(trace.stepSeconds(), model.subStepSeconds());
            double scale = model.scaleFor(trace.peak());
            java.util.List<String> problems = ReplayLimits.problems(trace, model, scale, dt, keyAt);
            if (!problems.isEmpty()) {
                throw BadInputException.of(problems);
            }
            // Every window is at most JobModel.MAX_SECONDS long and dt >= 1 s, so these fit in an int and the
            // signal ring buffer holds at most 3 × 86,400 + 2 samples.
            return new Setup(new JobRef("sim", trace.name()), trace, model, scale, dt,
                    trace.stepSeconds() / dt,
                    (int) Math.max(1, Math.round(model.controlIntervalSeconds() / dt)),
                    (int) Math.round(model.metricsDelaySeconds() / dt),
                    (int) Math.max(1, Math.round(model.signalWindowSeconds() / dt)),
                    (int) Math.max(1, Math.round(model.growthWindowSeconds() / dt)));
        }

        static int largestDivisorAtMost(int step, double max) {
            for (int d = (int) Math.min(step, Math.floor(max)); d > 1; d--) {
                if (step % d == 0) {
                    return d;
                }
            }
            return 1;
        }
    }
}
