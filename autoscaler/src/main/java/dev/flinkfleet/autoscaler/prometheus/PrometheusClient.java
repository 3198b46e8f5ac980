package dev.flinkfleet.autoscaler.prometheus;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import dev.flinkfleet.autoscaler.config.Secrets;
import dev.flinkfleet.autoscaler.prometheus.PrometheusException.Kind;

/**
 * Client for the Prometheus HTTP query API. Queries are POSTed form-encoded, because a fleet-wide selector can
 * exceed URL length limits of proxies in front of Prometheus.
 */
public final class PrometheusClient implements InstantQueries {

    /**
     * Where and how to connect.
     *
     * @param baseUrl         e.g. {@code http://prometheus:9090} (a path prefix such as {@code /prom} is kept);
     *                        {@code http://user:password@host} sends Basic authentication (a bearer token wins)
     * @param timeout         per request; also sent as the server-side query timeout
     * @param bearerToken     sent as {@code Authorization: Bearer ...} when present
     * @param bearerTokenFile read on every request when present (Kubernetes rotates projected tokens)
     */
    public record Options(URI baseUrl, Duration timeout, Optional<String> bearerToken, Optional<Path> bearerTokenFile) {
        public Options {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(bearerToken, "bearerToken");
            Objects.requireNonNull(bearerTokenFile, "bearerTokenFile");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
            }
        }

        public static Options of(URI baseUrl, Duration timeout) {
            return new Options(baseUrl, timeout, Optional.empty(), Optional.empty());
        }

        /** Never the token or the URL's password: the generated toString would print both. */
        @Override
        public String toString() {
            return "Options[baseUrl=" + Secrets.maskUrl(baseUrl) + ", timeout=" + timeout
                    + ", bearerToken=" + bearerToken.map(t -> Secrets.MASK) + ", bearerTokenFile=" + bearerTokenFile + "]";
        }
    }

    private final HttpClient http;
    private final Options options;
    private final Clock clock;
    private final String basicAuth;
    /** The URL's userinfo password, raw and decoded, masked in server messages. */
    private final List<String> urlSecrets;
    private final URI queryUri;
    private final URI rangeUri;
    private final AtomicLong requestsSent = new AtomicLong();

    public PrometheusClient(Options options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
        // Credentials in the URL become a Basic header and leave the URI: Java's client would neither send them
        // nor keep them out of HttpRequest.toString().
        URI url = options.baseUrl();
        String info = url.getRawUserInfo();
        this.basicAuth = info == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
                java.net.URLDecoder.decode(info.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        this.urlSecrets = info == null ? List.of() : List.copyOf(Secrets.secretValues(Map.of("url", url.toString())));
        String base = (info == null ? url.toString() : url.toString().replaceFirst(java.util.regex.Pattern.quote(info + "@"), ""))
                .replaceAll("/+$", "");
        this.queryUri = URI.create(base + "/api/v1/query");
        this.rangeUri = URI.create(base + "/api/v1/query_range");
    }

    /** Evaluates {@code promql} now (by the injected clock). */
    public List<InstantSeries> query(String promql) {
        return query(promql, clock.instant());
    }

    /** Evaluates {@code promql} at {@code time}. */
    public List<InstantSeries> query(String promql, Instant time) {
        return join(queryAsync(promql, time));
    }

    @Override
    public CompletableFuture<List<InstantSeries>> queryAsync(String promql, Instant time) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        form.put("time", seconds(time));
        return send(queryUri, promql, form, PromResponseParser::parseInstant);
    }

    /** Evaluates {@code promql} over {@code [start, end]} every {@code step}. */
    public List<RangeSeries> queryRange(String promql, Instant start, Instant end, Duration step) {
        if (end.isBefore(start) || step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("need start <= end and step > 0, got " + start + ".." + end + " step " + step);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        form.put("start", seconds(start));
        form.put("end", seconds(end));
        form.put("step", step.toMillis() + "ms");
        return join(send(rangeUri, promql, form, PromResponseParser::parseRange));
    }

    /** HTTP requests sent so far (for the daemon's own metrics, and to prove queries are batched). */
    public long requestsSent() {
        return requestsSent.get();
    }

    private <T> CompletableFuture<T> send(URI uri, String promql, Map<String, String> form,
                                          BiFunction<String, String, T> parse) {
        // Ask the server to give up at the same time we do, so abandoned queries do not keep it busy.
        form.put("timeout", options.timeout().toMillis() + "ms");
        HttpRequest.Builder request;
        List<String> secrets = new java.util.ArrayList<>(urlSecrets);
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(options.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
            Optional<String> token = bearerToken();
            if (token.isPresent()) {
                request.header("Authorization", "Bearer " + token.get());
                secrets.add(token.get());
            } else if (basicAuth != null) {
                request.header("Authorization", basicAuth);
            }
        } catch (PrometheusException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new PrometheusException(Kind.IO, promql, 0,
                    "cannot read bearer token file: " + e, e));
        }
        requestsSent.incrementAndGet();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        throw translate(promql, error);
                    }
                    int status = response.statusCode();
                    if (status < 200 || status > 299) {
                        // A proxy's error page may echo the request's credentials back.
                        throw new PrometheusException(Kind.HTTP_STATUS, promql, status,
                                Secrets.maskSecrets(PromResponseParser.errorMessage(response.body()), secrets), null);
                    }
                    return parse.apply(promql, response.body());
                });
    }

    private Optional<String> bearerToken() throws IOException {
        if (options.bearerTokenFile().isPresent()) {
            String t = Files.readString(options.bearerTokenFile().get()).strip();
            if (t.isEmpty()) {
                throw new IOException("file " + options.bearerTokenFile().get() + " is empty");
            }
            return Optional.of(t);
        }
        return options.bearerToken().filter(t -> !t.isBlank());
    }

    private static PrometheusException translate(String promql, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof PrometheusException pe) {
            return pe;
        }
        if (cause instanceof HttpTimeoutException) {
            return new PrometheusException(Kind.TIMEOUT, promql, 0, "no answer in time: " + cause.getMessage(), cause);
        }
        if (cause instanceof ConnectException) {
            return new PrometheusException(Kind.IO, promql, 0, "cannot connect: " + cause, cause);
        }
        return new PrometheusException(Kind.IO, promql, 0, String.valueOf(cause), cause);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException(Kind.IO, "(interrupted)", 0, "interrupted while waiting for Prometheus", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof PrometheusException pe) {
                throw pe;
            }
            throw new PrometheusException(Kind.IO, "(unknown)", 0, String.valueOf(c), c);
        }
    }

    /** Unix seconds with millisecond precision, as the API expects. */
    static String seconds(Instant t) {
        long millis = t.toEpochMilli();
        return Math.floorDiv(millis, 1000) + "." + String.format("%03d", Math.floorMod(millis, 1000));
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
