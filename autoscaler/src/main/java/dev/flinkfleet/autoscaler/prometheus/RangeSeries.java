package dev.flinkfleet.autoscaler.prometheus;

import java.util.List;
import java.util.Map;

/** One element of a range-vector (matrix) result: the series' labels and its samples, oldest first. */
public record RangeSeries(Map<String, String> labels, List<Sample> samples) {

    public RangeSeries {
        labels = Map.copyOf(labels);
        samples = List.copyOf(samples);
    }
}
