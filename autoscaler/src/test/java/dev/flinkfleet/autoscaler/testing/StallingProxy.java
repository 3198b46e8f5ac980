package dev.flinkfleet.autoscaler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 for fault tests: forwards to a target (which can be changed, as when a server comes
 * back on a new port) or, switched to {@link Mode#STALL}, accepts connections and reads requests but never
 * answers, like a hung server. Bounded: at most {@value #MAX_CONNECTIONS} connections, two daemon threads each,
 * all closed by {@link #close()}.
 */
public final class StallingProxy implements AutoCloseable {

    public enum Mode { FORWARD, STALL }

    private static final int MAX_CONNECTIONS = 64;

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress target;
    private volatile Mode mode;
    private volatile boolean closed;

    private StallingProxy(InetSocketAddress target, Mode mode) throws IOException {
        this.target = target;
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy forwarding to {@code host:port}. */
    public static StallingProxy forwardingTo(String host, int port) throws IOException {
        return new StallingProxy(new InetSocketAddress(host, port), Mode.FORWARD);
    }

    /** A server that accepts connections and never answers. */
    public static StallingProxy stalling() throws IOException {
        return new StallingProxy(null, Mode.STALL);
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** New connections go to this target; open ones are cut, as when the old server went away. */
    public void retarget(String host, int port) {
        target = new InetSocketAddress(host, port);
        dropAll();
    }

    /** From now on nothing is forwarded, on open connections too; new connections are accepted and left hanging. */
    public void stall() {
        mode = Mode.STALL;
    }

    /** Forward again; connections that were stalled are cut so clients reconnect. */
    public void forward() {
        mode = Mode.FORWARD;
        dropAll();
    }

    public void dropAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (sockets.size() >= MAX_CONNECTIONS * 2) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            InetSocketAddress t = target;
            if (mode == Mode.STALL || t == null) {
                pump(client, null); // read and discard, never answer
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(t, 2_000);
            } catch (IOException e) {
                closeQuietly(client); // like a server that is not there
                closeQuietly(upstream);
                continue;
            }
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (mode == Mode.STALL && !closed && !from.isClosed()) {
                        Thread.sleep(20); // hold what was read: the peer never hears back
                    }
                    if (out != null && mode == Mode.FORWARD) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // connection cut: close both ends below
            } finally {
                closeQuietly(from);
                if (to != null) {
                    closeQuietly(to);
                }
            }
        }, "stalling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropAll();
    }
}
