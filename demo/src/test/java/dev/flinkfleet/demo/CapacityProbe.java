package dev.flinkfleet.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.flinkfleet.testkit.EmbeddedKafka;
import dev.flinkfleet.testkit.flink.FlinkJob;

/**
 * Measures what the demo's real Flink job processes at each parallelism (not a test: a tool behind the README's
 * capacity figures). For each parallelism: 40,000 records of 1 KiB on 8 partitions, the job started on them,
 * 10 s of warm-up, then the map's {@code numRecordsIn} from Flink's reporter over 15 s. Committed offsets are not
 * used: over such windows they also count the records filling the network buffers.
 *
 * <pre>java -cp demo/target/flinkfleet-demo.jar:demo/target/test-classes dev.flinkfleet.demo.CapacityProbe 5000 1,2,3</pre>
 * (arguments: CPU microseconds per record, parallelisms).
 */
public final class CapacityProbe {

    private CapacityProbe() {
    }

    public static void main(String[] args) throws Exception {
        DemoCommand.quietLogging();
        long costMicros = Long.parseLong(args[0]);
        int[] parallelisms = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int p : parallelisms) {
                String topic = "probe" + p;
                kafka.createTopic(topic, 8);
                Properties props = new Properties();
                props.put("bootstrap.servers", kafka.bootstrapServers());
                props.put("acks", "1");
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 40_000; i++) {
                        producer.send(new ProducerRecord<>(topic, i % 8, null, new byte[1024]));
                    }
                }
                FlinkJob.Spec spec = new FlinkJob.Spec(topic, kafka.bootstrapServers(), topic, topic, p, 8,
                        Duration.ofNanos(costMicros * 1000), Duration.ofSeconds(1), true);
                try (FlinkJob job = FlinkJob.start(spec)) {
                    Thread.sleep(10_000);
                    long r0 = recordsIntoMap(job);
                    long t0 = System.nanoTime();
                    Thread.sleep(15_000);
                    long r1 = recordsIntoMap(job);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("cost %d us, parallelism %d: %.0f records/s into the map (%d -> %d in %.1f s)%n",
                            costMicros, p, (r1 - r0) / seconds, r0, r1, seconds);
                }
            }
        }
        System.exit(0);
    }

    /** Sum over the map's subtasks of {@code numRecordsIn}, as Flink's Prometheus reporter serves it now. */
    private static long recordsIntoMap(FlinkJob job) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + job.prometheusTarget() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        int series = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("flink_taskmanager_job_task_operator_numRecordsIn{") && line.contains("operator_name=\"work\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                series++;
            }
        }
        if (series == 0) {
            throw new IllegalStateException("the reporter serves no numRecordsIn of the map yet");
        }
        return (long) sum;
    }
}
