package dev.flinkfleet.simulator.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.flinkfleet.simulator.BadInputException;

/**
 * The lines of a trace file, decoded as strict UTF-8 one line at a time, so a bad byte is reported with its
 * line (a decoding reader reads ahead and would fail lines early, without a line number). Lines end in LF or
 * CRLF; a UTF-8 byte-order mark is dropped from the first line; any other control character is an error at
 * its line and column. A line longer than {@link #MAX_LINE_BYTES} is an error, so a file without newlines
 * cannot fill the memory.
 */
final class TraceLines {

    /** Longest line, bytes: a row is about 30. */
    static final int MAX_LINE_BYTES = 4096;

    private final InputStream in;
    private final String where;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[MAX_LINE_BYTES];
    private int lineNo;
    private boolean eof;

    TraceLines(InputStream in, String where) {
        this.in = in;
        this.where = where;
    }

    /** Number of the line last returned (1-based). */
    int lineNo() {
        return lineNo;
    }

    /** The next line without its line end, or null at the end of the file. */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        int n = 0;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (n == MAX_LINE_BYTES) {
                throw new BadInputException(where + ":" + (lineNo + 1) + ": line longer than " + MAX_LINE_BYTES + " bytes");
            }
            buf[n++] = (byte) b;
        }
        if (b == -1) {
            eof = true;
            if (n == 0) {
                return null; // the file ended with a line end (or is empty)
            }
        }
        lineNo++;
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        String line = decode(n);
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) || c == '\uFEFF') {
                throw new BadInputException(where + ":" + lineNo + ":" + (i + 1) + ": control or invisible character U+"
                        + String.format("%04X", (int) c) + " (a trace holds plain text: timestamp,events_per_second)");
            }
        }
        return line;
    }

    private String decode(int n) {
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = buf[i] >= 0;
        }
        if (ascii) {
            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
        CharBuffer chars = CharBuffer.allocate(n);
        CoderResult r = utf8.reset().decode(bytes, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            throw new BadInputException(where + ":" + lineNo + ": not UTF-8: byte " + (bytes.position() + 1) + " of the line is 0x"
                    + String.format("%02X", buf[bytes.position()] & 0xFF));
        }
        return chars.flip().toString();
    }
}
