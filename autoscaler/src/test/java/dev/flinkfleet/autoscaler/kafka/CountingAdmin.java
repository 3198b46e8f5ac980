package dev.flinkfleet.autoscaler.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;

/** A forwarding {@link Admin} that counts calls by method name, to check that reads are batched. */
final class CountingAdmin {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Admin admin;

    CountingAdmin(Admin delegate) {
        // A JDK proxy forwards all ~80 Admin methods without hand-writing each; only the outermost call is counted.
        this.admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), n -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    Admin admin() {
        return admin;
    }

    int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    void reset() {
        calls.clear();
    }
}
