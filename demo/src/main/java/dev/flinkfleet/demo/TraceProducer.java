package dev.flinkfleet.demo;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces records into a topic at the rate a {@link RateSchedule} gives for the time since {@link #start()},
 * spread round-robin over the partitions so every partition's lag grows alike. Record timestamps are the
 * produce time (event time for the job's watermark).
 */
public final class TraceProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TraceProducer.class);
    private static final long TICK_MS = 50;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final RateSchedule schedule;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private volatile double currentRate;
    private volatile long startNanos;

    public TraceProducer(String bootstrapServers, String topic, int partitions, RateSchedule schedule) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.schedule = schedule;
        this.thread = new Thread(this::run, "trace-producer");
        thread.setDaemon(true);
    }

    public void start() {
        startNanos = System.nanoTime();
        thread.start();
    }

    /** Seconds since {@link #start()}. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The rate being produced now. */
    public double currentRate() {
        return currentRate;
    }

    public long sentRecords() {
        return sent.get();
    }

    private void run() {
        // 1 KiB, a typical log line: a Flink network buffer (32 KiB) then holds about 30 records, a fraction of a
        // second of the real job's work. With 64-byte records the buffers in flight held minutes of it, aligned
        // checkpoints stalled behind them, and committed offsets (the lag the daemon reads) froze.
        byte[] value = new byte[1024];
        double owed = 0;
        long last = System.nanoTime();
        long n = 0;
        try {
            while (running) {
                Thread.sleep(TICK_MS);
                long now = System.nanoTime();
                double rate = schedule.rateAt((now - startNanos) / 1e9);
                currentRate = rate;
                owed += rate * (now - last) / 1e9;
                last = now;
                int due = (int) owed;
                owed -= due;
                for (int i = 0; i < due; i++) {
                    producer.send(new ProducerRecord<>(topic, (int) (n++ % partitions), null, value), (md, e) -> {
                        if (e != null) {
                            LOG.warn("produce failed: {}", e.toString());
                        }
                    });
                }
                sent.addAndGet(due);
            }
        } catch (InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("trace producer stopped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
