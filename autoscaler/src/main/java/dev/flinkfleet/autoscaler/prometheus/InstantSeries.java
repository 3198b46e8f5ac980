package dev.flinkfleet.autoscaler.prometheus;

import java.util.Map;

/** One element of an instant-vector result: the series' labels and its single sample. */
public record InstantSeries(Map<String, String> labels, Sample sample) {

    public InstantSeries {
        labels = Map.copyOf(labels);
    }
}
