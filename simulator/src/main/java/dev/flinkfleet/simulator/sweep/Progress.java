package dev.flinkfleet.simulator.sweep;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place; thread-safe. */
public final class Progress {

    private final PrintWriter err;
    private final int total;
    private int done;

    public Progress(PrintWriter err, int total) {
        this.err = err;
        this.total = total;
        draw();
    }

    public synchronized void step() {
        done++;
        draw();
        if (done == total) {
            err.println();
            err.flush();
        }
    }

    private void draw() {
        int width = 40;
        int filled = total == 0 ? width : done * width / total;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " runs");
        err.flush();
    }
}
