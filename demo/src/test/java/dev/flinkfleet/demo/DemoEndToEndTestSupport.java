package dev.flinkfleet.demo;

import dev.flinkfleet.autoscaler.kubernetes.FlinkDeploymentView;

final class DemoEndToEndTestSupport {

    private DemoEndToEndTestSupport() {
    }

    /** Waits (at most 20 s) until the operator has rolled out the current generation. */
    static void awaitStable(DemoEnvironment env) throws InterruptedException {
        DemoEnvironmentTest.await("the operator has rolled out the latest spec", () -> {
            FlinkDeploymentView v = env.deploymentView();
            return "STABLE".equals(v.lifecycleState()) && v.generation() != null && v.generation().equals(v.observedGeneration());
        });
    }
}
