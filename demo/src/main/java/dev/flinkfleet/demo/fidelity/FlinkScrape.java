package dev.flinkfleet.demo.fidelity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One read of Flink's Prometheus reporter, live (no scrape interval, no query lag): the records the Kafka source
 * readers have read (Σ of their per-partition current offsets) and the oldest input watermark of a non-source
 * operator.
 *
 * @param consumed  Σ current offsets, NaN when the reporter has none (restarting)
 * @param watermark epoch milliseconds, 0 when no operator has one yet
 * @param processed Σ records the map ({@code work}) took in since its tasks started, NaN when it has no tasks
 * @param pending   Σ the source's pendingRecords, NaN when none reported
 */
record FlinkScrape(double consumed, double watermark, double processed, double pending) {

    static final String PENDING = "flink_taskmanager_job_task_operator_pendingRecords{";

    static final String WORK_RECORDS_IN = "flink_taskmanager_job_task_operator_numRecordsIn{";

    static final String CURRENT_OFFSET = "KafkaSourceReader_topic_partition_currentOffset";
    static final String INPUT_WATERMARK = "flink_taskmanager_job_task_operator_currentInputWatermark";

    static FlinkScrape read(HttpClient http, String target) {
        String text;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + target + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            text = r.body();
        } catch (java.io.IOException e) {
            return new FlinkScrape(Double.NaN, 0, Double.NaN, Double.NaN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FlinkScrape(Double.NaN, 0, Double.NaN, Double.NaN);
        }
        return parse(text);
    }

    static FlinkScrape parse(String text) {
        double consumed = 0;
        boolean any = false;
        double watermark = Double.POSITIVE_INFINITY;
        double processed = 0;
        boolean working = false;
        double pending = 0;
        boolean pendingSeen = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (line.contains(CURRENT_OFFSET + "{") && v >= 0) {
                consumed += v;
                any = true;
            } else if (line.startsWith(PENDING) && v >= 0) {
                pending += v;
                pendingSeen = true;
            } else if (line.startsWith(WORK_RECORDS_IN) && line.contains("operator_name=\"work\"")) {
                processed += v;
                working = true;
            } else if (line.startsWith(INPUT_WATERMARK + "{") && !line.contains("operator_name=\"Source") && v > 0) {
                watermark = Math.min(watermark, v);
            }
        }
        return new FlinkScrape(any ? consumed : Double.NaN, Double.isInfinite(watermark) ? 0 : watermark, working ? processed : Double.NaN,
                pendingSeen ? pending : Double.NaN);
    }
}
