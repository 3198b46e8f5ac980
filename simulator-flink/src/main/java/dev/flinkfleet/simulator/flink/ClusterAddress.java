package dev.flinkfleet.simulator.flink;

import dev.flinkfleet.simulator.BadInputException;

/** A Flink cluster's REST endpoint, from {@code --flink-cluster HOST:PORT}. */
record ClusterAddress(String host, int port) {

    static ClusterAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            try {
                int port = Integer.parseInt(spec.substring(colon + 1));
                if (port >= 1 && port <= 65535) {
                    return new ClusterAddress(spec.substring(0, colon), port);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new BadInputException("--flink-cluster '" + spec + "': expected HOST:PORT with a port from 1 to 65535");
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
