package dev.flinkfleet.simulator.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink cluster on loopback for trying {@code --flink-cluster} without a Flink installation: a MiniCluster whose
 * REST endpoint listens on 127.0.0.1 at the given port; runs until killed. Not the engine's own path (that starts
 * its MiniCluster in process); a job submitted here goes through REST like one to any cluster, with its jar.
 *
 * <pre>java -cp 'autoscaler/target/flinkfleet.jar:simulator-flink/target/flinkfleet-simulator-flink.jar:simulator-flink/target/flink-lib/*' \
 *     dev.flinkfleet.simulator.flink.LoopbackCluster 8081 2</pre>
 */
public final class LoopbackCluster {

    private LoopbackCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LoopbackCluster PORT SLOTS");
            System.exit(1);
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, args[0]);
        conf.set(NettyShuffleEnvironmentOptions.BATCH_SHUFFLE_COMPRESSION_ENABLED, false);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(Integer.parseInt(args[1])).build());
        cluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
        System.out.println("flink cluster on " + cluster.getRestAddress().get() + " with " + args[1] + " slots; Ctrl-C stops it");
        Thread.currentThread().join();
    }
}
